import { describe, expect, it } from "vitest";
import {
  ByteBudget,
  type ContainerInstance,
  CriLogDecoder,
  formatLogLine,
  type LogLine,
  type Pod,
  parseContainerLogOptions,
  parseCriLogRecord,
  pickLogInstance,
  selectInitialLines,
} from "../src/index.js";

const b = (s: string) => Buffer.from(s);
const text = (lines: readonly LogLine[]) => lines.map((l) => l.content.toString());

describe("parseCriLogRecord", () => {
  it("reads time, stream, tag and content", () => {
    const r = parseCriLogRecord(b("2026-11-22T04:00:00.123456789Z stdout F hello world"));
    expect(r).toMatchObject({
      timestamp: "2026-11-22T04:00:00.123456789Z",
      timeMs: Date.parse("2026-11-22T04:00:00.123Z"),
      stream: "stdout",
      partial: false,
    });
    expect(r?.content.toString()).toBe("hello world");
  });

  it("keeps an empty line and extra spaces in the content, and reads partial tags", () => {
    expect(parseCriLogRecord(b("2026-11-22T04:00:00Z stderr F "))?.content.length).toBe(0);
    expect(parseCriLogRecord(b("2026-11-22T04:00:00Z stderr F"))?.content.length).toBe(0);
    expect(parseCriLogRecord(b("2026-11-22T04:00:00Z stdout P  two  spaces"))).toMatchObject({
      partial: true,
      content: b(" two  spaces"),
    });
    expect(parseCriLogRecord(b("2026-11-22T04:00:00+01:00 stdout F:x y"))?.timeMs).toBe(
      Date.parse("2026-11-22T03:00:00Z"),
    );
  });

  it("refuses what is not a record", () => {
    for (const line of [
      "",
      "garbage",
      "notatime stdout F x",
      "2026-11-22T04:00:00Z stdin F x",
      "2026-11-22T04:00:00Z stdout X x",
      "2026-11-22T04:00:00Z stdout",
    ])
      expect(parseCriLogRecord(b(line)), line).toBeUndefined();
  });
});

describe("CriLogDecoder", () => {
  it("joins partial records per stream and keeps lines in order across chunk boundaries", () => {
    const file =
      "2026-11-22T04:00:01Z stdout P hel\n" +
      "2026-11-22T04:00:02Z stderr F oops\n" +
      "2026-11-22T04:00:03Z stdout P lo \n" +
      "2026-11-22T04:00:04Z stdout F world\n" +
      "not a record\n" +
      "2026-11-22T04:00:05Z stdout F last\n";
    // Every split point gives the same lines.
    for (let cut = 0; cut <= file.length; cut++) {
      const decoder = new CriLogDecoder();
      const lines = [...decoder.push(b(file.slice(0, cut))), ...decoder.push(b(file.slice(cut)))];
      expect(text(lines)).toEqual(["oops", "hello world", "last"]);
      expect(lines[1]?.timestamp).toBe("2026-11-22T04:00:01Z");
    }
  });

  it("holds a trailing partial line until flushed, and a record without newline until it ends", () => {
    const decoder = new CriLogDecoder();
    expect(decoder.push(b("2026-11-22T04:00:01Z stdout P no newline\n"))).toEqual([]);
    expect(decoder.push(b("2026-11-22T04:00:02Z stdout F half"))).toEqual([]);
    expect(text(decoder.push(b("-done\n")))).toEqual(["no newlinehalf-done"]);
    decoder.push(b("2026-11-22T04:00:03Z stderr P tail"));
    decoder.push(b("\n"));
    expect(text(decoder.flush())).toEqual(["tail"]);
    expect(decoder.flush()).toEqual([]);
  });

  it("passes bytes that are not UTF-8 through untouched", () => {
    const decoder = new CriLogDecoder();
    const raw = Buffer.concat([
      b("2026-11-22T04:00:01Z stdout F "),
      Buffer.from([0xff, 0xfe]),
      b("\n"),
    ]);
    expect(decoder.push(raw)[0]?.content).toEqual(Buffer.from([0xff, 0xfe]));
  });
});

describe("selecting and formatting lines", () => {
  const lines: LogLine[] = [1, 2, 3, 4, 5].map((n) => ({
    timestamp: `2026-11-22T04:00:0${n}.5Z`,
    timeMs: Date.parse(`2026-11-22T04:00:0${n}.5Z`),
    stream: "stdout",
    content: b(`line ${n}`),
  }));

  it("tails, then filters by since", () => {
    expect(text(selectInitialLines(lines, {}))).toEqual(text(lines));
    expect(text(selectInitialLines(lines, { tailLines: 2 }))).toEqual(["line 4", "line 5"]);
    expect(text(selectInitialLines(lines, { tailLines: 9 }))).toHaveLength(5);
    expect(selectInitialLines(lines, { tailLines: 0 })).toEqual([]);
    const since = Date.parse("2026-11-22T04:00:03Z");
    expect(text(selectInitialLines(lines, { sinceMs: since }))).toEqual([
      "line 3",
      "line 4",
      "line 5",
    ]);
    // Tail is taken first: the last two lines, both after since.
    expect(text(selectInitialLines(lines, { tailLines: 2, sinceMs: since }))).toEqual([
      "line 4",
      "line 5",
    ]);
    expect(
      selectInitialLines(lines, { tailLines: 2, sinceMs: Date.parse("2026-11-22T05:00:00Z") }),
    ).toEqual([]);
  });

  it("prefixes the runtime's timestamp when asked", () => {
    expect(formatLogLine(lines[0]!, false).toString()).toBe("line 1\n");
    expect(formatLogLine(lines[0]!, true).toString()).toBe("2026-11-22T04:00:01.5Z line 1\n");
  });

  it("cuts output at limitBytes, mid-line", () => {
    const budget = new ByteBudget(10);
    expect(budget.take(b("line 1\n")).toString()).toBe("line 1\n");
    expect(budget.done).toBe(false);
    expect(budget.take(b("line 2\n")).toString()).toBe("lin");
    expect(budget.done).toBe(true);
    expect(budget.take(b("x")).length).toBe(0);
    expect(new ByteBudget(undefined).take(b("anything")).toString()).toBe("anything");
  });
});

describe("parseContainerLogOptions", () => {
  const now = Date.parse("2026-11-22T04:00:00Z");
  const parse = (q: string) => parseContainerLogOptions(new URLSearchParams(q), now);

  it("reads booleans, tail, limit and since", () => {
    expect(parse("follow=true&previous=1&timestamps=false&tailLines=3&limitBytes=10")).toEqual({
      ok: true,
      options: { follow: true, previous: true, timestamps: false, tailLines: 3, limitBytes: 10 },
    });
    expect(parse("sinceSeconds=60")).toMatchObject({ options: { sinceMs: now - 60_000 } });
    expect(parse("sinceTime=2026-11-22T03:00:00Z")).toMatchObject({
      options: { sinceMs: Date.parse("2026-11-22T03:00:00Z") },
    });
  });

  it("refuses bad values", () => {
    for (const q of [
      "tailLines=x",
      "tailLines=-1",
      "limitBytes=0",
      "sinceSeconds=0",
      "sinceTime=yesterday",
      "sinceSeconds=5&sinceTime=2026-11-22T03:00:00Z",
    ])
      expect(parse(q).ok, q).toBe(false);
  });
});

describe("pickLogInstance", () => {
  const pod = (waiting?: string): Pod => ({
    metadata: { name: "web", namespace: "default", uid: "u" },
    spec: { containers: [{ name: "main", image: "busybox" }] },
    ...(waiting
      ? {
          status: {
            containerStatuses: [
              {
                name: "main",
                state: { waiting: { reason: waiting } },
                lastState: {},
                ready: false,
                restartCount: 1,
                image: "busybox",
                imageID: "",
              },
            ],
          },
        }
      : {}),
  });
  const inst = (attempt: number, state: ContainerInstance["state"]): ContainerInstance => ({
    id: `c${attempt}`,
    attempt,
    state,
    logPath: `/logs/main/${attempt}.log`,
  });

  it("reads the newest started instance, and the one before with previous", () => {
    const instances = [inst(2, "running"), inst(1, "exited"), inst(0, "exited")];
    expect(pickLogInstance(pod(), "main", instances, false)).toMatchObject({
      instance: { id: "c2" },
    });
    expect(pickLogInstance(pod(), "main", instances, true)).toMatchObject({
      instance: { id: "c1" },
    });
    // A created-but-not-started instance has written nothing yet.
    expect(pickLogInstance(pod(), "main", [inst(3, "created"), ...instances], false)).toMatchObject(
      { instance: { id: "c2" } },
    );
  });

  it("while waiting to restart, the last exited instance is both current and previous", () => {
    const instances = [inst(1, "exited"), inst(0, "exited")];
    expect(pickLogInstance(pod("CrashLoopBackOff"), "main", instances, false)).toMatchObject({
      instance: { id: "c1" },
    });
    expect(pickLogInstance(pod("CrashLoopBackOff"), "main", instances, true)).toMatchObject({
      instance: { id: "c1" },
    });
  });

  it("words the errors as upstream's kubelet", () => {
    expect(pickLogInstance(pod(), "main", [], false)).toEqual({
      ok: false,
      message: 'container "main" in pod "web" is waiting to start: ContainerCreating',
    });
    expect(pickLogInstance(pod("ImagePullBackOff"), "main", [], false)).toEqual({
      ok: false,
      message:
        'container "main" in pod "web" is waiting to start: trying and failing to pull image',
    });
    expect(pickLogInstance(pod(), "main", [inst(0, "running")], true)).toEqual({
      ok: false,
      message: 'previous terminated container "main" in pod "web" not found',
    });
  });
});
