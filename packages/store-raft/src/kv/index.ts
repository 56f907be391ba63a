export { EtcdErrors } from "./etcd-errors.js";
export type { CommandResult, EventListener, KvStateMachineOptions } from "./state-machine.js";
export { KvStateMachine } from "./state-machine.js";
export {
  DEFAULT_MAX_TXN_OPS,
  validateDeleteRange,
  validatePut,
  validateRange,
  validateTxn,
} from "./validate.js";
