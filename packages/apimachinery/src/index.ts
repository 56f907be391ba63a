/**
 * `@kubekit/apimachinery`: the Kubernetes API's value types that every
 * kubekit component reads the same way (upstream's k8s.io/apimachinery).
 *
 * @packageDocumentation
 */
export { formatQuantity } from "./quantity/format.js";
export {
  addQuantities,
  compareQuantities,
  divideQuantities,
  parseQuantity,
  QUANTITY_FORMAT_MESSAGE,
  QUANTITY_PATTERN,
  type Quantity,
  QuantityError,
  type QuantityFormat,
  quantityFromMilliValue,
  quantityFromValue,
  quantityMilliValue,
  quantityValue,
  subtractQuantities,
  sumQuantities,
  tryParseQuantity,
  ZERO,
} from "./quantity/quantity.js";
