// The scheduler package's own test support, shared rather than copied.
export * from "../../../../packages/scheduler-plugins/test/support/run-command.js";
