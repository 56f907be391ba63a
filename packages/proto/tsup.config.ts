import { defineConfig } from "tsup";

export default defineConfig({
  entry: [
    "src/index.ts",
    "src/etcd.ts",
    "src/cri.ts",
    "src/csi.ts",
    "src/raft.ts",
    "src/scheduler.ts",
    "src/proxy.ts",
    "src/store.ts",
  ],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
});
