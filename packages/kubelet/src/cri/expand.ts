/**
 * Expands `$(NAME)` references the way the API documents for env values,
 * command and args: a defined name is replaced by its value, an undefined one
 * is left as written, `$$` escapes a literal `$`, and an unterminated `$(` or a
 * `$` before any other character is kept verbatim.
 */
export function expandVariables(
  input: string,
  lookup: (name: string) => string | undefined,
): string {
  let output = "";
  let index = 0;
  while (index < input.length) {
    const dollar = input.indexOf("$", index);
    if (dollar === -1 || dollar === input.length - 1) {
      output += input.slice(index);
      break;
    }
    output += input.slice(index, dollar);
    const next = input[dollar + 1];
    if (next === "$") {
      output += "$";
      index = dollar + 2;
      continue;
    }
    if (next === "(") {
      const close = input.indexOf(")", dollar + 2);
      if (close === -1) {
        output += input.slice(dollar);
        break;
      }
      const name = input.slice(dollar + 2, close);
      const value = name === "" ? undefined : lookup(name);
      output += value ?? input.slice(dollar, close + 1);
      index = close + 1;
      continue;
    }
    output += `$${next}`;
    index = dollar + 2;
  }
  return output;
}
