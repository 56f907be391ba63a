import { describe, expect, it } from "vitest";
import { FakeClock } from "../../src/clock/fake-clock.js";
import { StatusError } from "../../src/errors/status-error.js";
import { COMBINED_PREFIX } from "../../src/events/correlator.js";
import { EventRecorder } from "../../src/events/recorder.js";
import type { CoreEvent, EventRepeatPatch, EventSink } from "../../src/events/types.js";

/** Stores Events by namespace/name as the apiserver would, and logs each write. */
class MemorySink implements EventSink {
  readonly stored = new Map<string, CoreEvent>();
  readonly writes: string[] = [];
  async create(event: CoreEvent): Promise<CoreEvent> {
    const key = `${event.metadata?.namespace}/${event.metadata?.name}`;
    this.writes.push(`create ${key}`);
    this.stored.set(key, event);
    return event;
  }
  async patch(event: CoreEvent, patch: EventRepeatPatch): Promise<CoreEvent> {
    const key = `${event.metadata?.namespace}/${event.metadata?.name}`;
    this.writes.push(`patch ${key} count=${patch.count}`);
    const old = this.stored.get(key);
    if (!old) {
      throw new StatusError({ reason: "NotFound", code: 404 });
    }
    const next = { ...old, ...patch };
    this.stored.set(key, next);
    return next;
  }
}

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "prod", uid: "u-1", resourceVersion: "42" },
};

function setup(options: Partial<ConstructorParameters<typeof EventRecorder>[0]> = {}) {
  const clock = new FakeClock(Date.UTC(2024, 0, 1, 12, 0, 0));
  const sink = new MemorySink();
  const errors: unknown[] = [];
  const recorder = new EventRecorder({
    sink,
    clock,
    component: "deployment-controller",
    host: "node-1",
    onError: (err) => errors.push(err),
    ...options,
  });
  return { clock, sink, recorder, errors };
}

describe("EventRecorder", () => {
  it("builds a core/v1 Event about the object", async () => {
    const { sink, recorder } = setup();
    recorder.event(deployment, "Normal", "ScalingReplicaSet", "Scaled up to 3");
    await recorder.flush();
    const [event] = [...sink.stored.values()];
    expect(event).toMatchObject({
      apiVersion: "v1",
      kind: "Event",
      metadata: { namespace: "prod" },
      involvedObject: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        namespace: "prod",
        name: "web",
        uid: "u-1",
        resourceVersion: "42",
      },
      reason: "ScalingReplicaSet",
      message: "Scaled up to 3",
      type: "Normal",
      count: 1,
      source: { component: "deployment-controller", host: "node-1" },
      firstTimestamp: "2024-01-01T12:00:00Z",
      lastTimestamp: "2024-01-01T12:00:00Z",
      reportingComponent: "deployment-controller",
      reportingInstance: "node-1",
    });
    expect(event?.metadata?.name).toMatch(/^web\.[0-9a-f]+$/);
  });

  it("folds an exact repeat into count and lastTimestamp on the first Event", async () => {
    const { clock, sink, recorder } = setup();
    recorder.event(deployment, "Warning", "FailedCreate", "quota exceeded");
    clock.step(5000);
    recorder.event(deployment, "Warning", "FailedCreate", "quota exceeded");
    clock.step(5000);
    recorder.event(deployment, "Warning", "FailedCreate", "quota exceeded");
    await recorder.flush();
    expect(sink.stored.size).toBe(1);
    const [event] = [...sink.stored.values()];
    expect(event).toMatchObject({
      count: 3,
      firstTimestamp: "2024-01-01T12:00:00Z",
      lastTimestamp: "2024-01-01T12:00:10Z",
    });
    expect(sink.writes.map((w) => w.split(" ")[0])).toEqual(["create", "patch", "patch"]);
  });

  it("keeps differently-worded events apart until there are many, then combines them", async () => {
    const { sink, recorder } = setup();
    for (let i = 0; i < 12; i++) {
      recorder.event(deployment, "Warning", "FailedCreate", `pod web-${i} rejected`);
    }
    await recorder.flush();
    const events = [...sink.stored.values()];
    // Nine distinct events, then the tenth starts one combined event that the rest count up.
    expect(events).toHaveLength(10);
    const combined = events.filter((e) => e.message.startsWith(COMBINED_PREFIX));
    expect(combined).toHaveLength(1);
    expect(combined[0]).toMatchObject({
      count: 3,
      message: `${COMBINED_PREFIX}pod web-11 rejected`,
    });
  });

  it("drops a flood about one object beyond the burst, refilling slowly", async () => {
    const { clock, sink, recorder } = setup({ spamBurst: 3, spamQps: 1 / 300 });
    for (let i = 0; i < 5; i++) {
      recorder.event(deployment, "Normal", `Reason${i}`, "m");
    }
    await recorder.flush();
    expect(sink.stored.size).toBe(3);
    clock.step(300_000);
    recorder.event(deployment, "Normal", "Later", "m");
    recorder.event(deployment, "Normal", "TooSoon", "m");
    await recorder.flush();
    expect(sink.stored.size).toBe(4);
  });

  it("re-creates a repeat whose earlier Event has expired, and reports sink failures", async () => {
    const { sink, recorder, errors } = setup();
    recorder.event(deployment, "Normal", "Tick", "m");
    await recorder.flush();
    sink.stored.clear();
    recorder.event(deployment, "Normal", "Tick", "m");
    await recorder.flush();
    expect(sink.writes.map((w) => w.split(" ")[0])).toEqual(["create", "patch", "create"]);
    expect([...sink.stored.values()][0]?.count).toBe(2);

    sink.create = async () => {
      throw new Error("apiserver down");
    };
    recorder.event(deployment, "Normal", "Other", "m");
    await recorder.flush();
    expect(errors.map((e) => (e as Error).message)).toEqual(["apiserver down"]);
  });
});
