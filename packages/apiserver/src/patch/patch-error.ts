/** A patch that cannot be applied; turned into a BadRequest or Invalid Status at the edge. */
export class PatchError extends Error {
  override readonly name = "PatchError";
  /** 400 for a malformed patch, 422 for a well-formed one that does not fit the object. */
  readonly code: 400 | 422;
  constructor(message: string, code: 400 | 422 = 400, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
