/** Who a request is from, as upstream's user.Info. */
export interface UserInfo {
  name: string;
  uid: string;
  groups: string[];
}

/** The result of reading a token file: tokens to users, or the first bad line. */
export type TokenFileResult =
  | { ok: true; tokens: Map<string, UserInfo> }
  | { ok: false; message: string };

// One CSV record, with double-quoted fields ("" for a quote inside one).
function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}

/**
 * Parses a `--token-auth-file`: CSV lines `token,user,uid[,"group1,group2"]`,
 * as upstream's tokenfile authenticator reads it. Blank lines and lines
 * starting with `#` are skipped; a line with fewer than three fields or an
 * empty token is an error, as upstream's is.
 */
export function parseTokenFile(text: string): TokenFileResult {
  const tokens = new Map<string, UserInfo>();
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const fields = splitCsvLine(line);
    if (!fields || fields.length < 3)
      return { ok: false, message: `token file line ${n + 1}: expected token,user,uid[,"groups"]` };
    const [token, name, uid, groups] = fields as [string, string, string, string | undefined];
    if (token === "") return { ok: false, message: `token file line ${n + 1}: empty token` };
    if (tokens.has(token))
      return { ok: false, message: `token file line ${n + 1}: duplicate token` };
    tokens.set(token, {
      name,
      uid,
      groups: groups ? groups.split(",").filter((g) => g !== "") : [],
    });
  }
  return { ok: true, tokens };
}

/** The user a request's `Authorization: Bearer <token>` header names, if the token is known. */
export function authenticateBearer(
  tokens: ReadonlyMap<string, UserInfo>,
  authorization: string | undefined,
): UserInfo | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) return undefined;
  const user = tokens.get(match[1]!);
  return user ? { ...user, groups: [...user.groups, "system:authenticated"] } : undefined;
}
