import { isIP } from "node:net";

// The string formats upstream's validator checks (kube-openapi's
// strfmt registry); other formats are accepted as plain strings.
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const HOSTNAME =
  /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const MAC = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/;
const BASE64 = /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d|w))+$/;

function validDate(s: string): boolean {
  if (!DATE.test(s.slice(0, 10))) return false;
  return !Number.isNaN(Date.parse(`${s.slice(0, 10)}T00:00:00Z`));
}

function validCidr(s: string): boolean {
  const [ip, bits, ...rest] = s.split("/");
  if (rest.length > 0 || ip === undefined || bits === undefined || !/^\d+$/.test(bits))
    return false;
  const family = isIP(ip);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

const CHECKS: Record<string, (s: string) => boolean> = {
  date: (s) => DATE.test(s) && validDate(s),
  "date-time": (s) => DATE_TIME.test(s) && validDate(s),
  datetime: (s) => DATE_TIME.test(s) && validDate(s),
  uuid: (s) => UUID.test(s),
  email: (s) => EMAIL.test(s),
  hostname: (s) => HOSTNAME.test(s),
  ipv4: (s) => isIP(s) === 4,
  ipv6: (s) => isIP(s) === 6,
  cidr: validCidr,
  mac: (s) => MAC.test(s),
  byte: (s) => BASE64.test(s),
  duration: (s) => DURATION.test(s),
};

/** Whether a string is valid in a format; unknown formats accept anything. */
export function matchesFormat(format: string, value: string): boolean {
  const check = CHECKS[format];
  return check === undefined || check(value);
}
