// @kubekit/store-raft/wire: conversions between the Raft core's types and
// the kubekit.raft.v1 peer wire format (kept apart so the core itself does
// not load the protobuf runtime).
export {
  confChangeFromWire,
  confChangeToWire,
  confStateFromWire,
  confStateToWire,
  entryFromWire,
  entryToWire,
  hardStateFromWire,
  hardStateToWire,
  messageFromWire,
  messageToWire,
  snapshotMetadataFromWire,
  snapshotMetadataToWire,
  WireFormatError,
} from "./wire/raft-wire.js";
