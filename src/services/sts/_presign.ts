// A SigV4 presigned URL, checked: its query parameters read once (keys case-insensitively, no
// repeats), and its signature recomputed for given header values, as AWS computes it for a
// presigned GET (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).

import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export interface PresignedUrl {
  url: URL;
  /** Parameters by lower-cased name, decoded. */
  parameters: Map<string, string>;
  /** The raw name=value pairs as sent, for the canonical query string. */
  pairs: [string, string][];
}

/** The parameters of a presigned URL, or a reason it cannot be one. */
export function readPresignedUrl(text: string): PresignedUrl | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "it is not a URL";
  }
  const pairs: [string, string][] = [];
  const parameters = new Map<string, string>();
  for (const part of url.search.replace(/^\?/, "").split("&").filter(Boolean)) {
    const [rawName, rawValue = ""] = part.split("=", 2) as [string, string?];
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName);
      value = decodeURIComponent(rawValue);
    } catch {
      return "a query parameter is malformed";
    }
    if (parameters.has(name.toLowerCase())) return `query parameter ${JSON.stringify(name)} is repeated`;
    parameters.set(name.toLowerCase(), value);
    pairs.push([name, value]);
  }
  return { url, parameters, pairs };
}

const sha256Hex = (text: string) => createHash("sha256").update(text).digest("hex");
const hmac = (key: string | Buffer, text: string) => createHmac("sha256", key).update(text).digest();

/** RFC 3986 encoding, as SigV4's canonical forms need it. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The SHA-256 of an empty body, and the constant some signers use for presigned URLs instead. */
const payloadHashes = [sha256Hex(""), "UNSIGNED-PAYLOAD"];

/**
 * True when the URL's X-Amz-Signature is the one `secret` makes for a GET of it with these
 * signed header values (besides host, which the URL gives).
 */
export function signatureMatches(presigned: PresignedUrl, secret: string, headers: Record<string, string>): boolean {
  const { url, parameters, pairs } = presigned;
  const given = parameters.get("x-amz-signature") ?? "";
  const [, date, region, service, terminator] = (parameters.get("x-amz-credential") ?? "").split("/");
  if (!date || !region || !service || terminator !== "aws4_request" || !/^[0-9a-f]{64}$/.test(given)) return false;
  const query = pairs
    .filter(([name]) => name !== "X-Amz-Signature")
    .map(([name, value]) => `${encode(name)}=${encode(value)}`)
    .sort()
    .join("&");
  const signed = (parameters.get("x-amz-signedheaders") ?? "").split(";");
  const values: Record<string, string> = { host: url.host, ...headers };
  if (signed.some((name) => values[name] === undefined)) return false;
  const canonicalHeaders = signed.map((name) => `${name}:${values[name]!.trim()}\n`).join("");
  let key = hmac(`AWS4${secret}`, date);
  for (const part of [region, service, "aws4_request"]) key = hmac(key, part);
  const scope = `${date}/${region}/${service}/aws4_request`;
  return payloadHashes.some((payloadHash) => {
    const canonicalRequest = ["GET", url.pathname, query, canonicalHeaders, signed.join(";"), payloadHash].join("\n");
    const stringToSign = ["AWS4-HMAC-SHA256", parameters.get("x-amz-date") ?? "", scope, sha256Hex(canonicalRequest)].join("\n");
    const expected = createHmac("sha256", key).update(stringToSign).digest();
    return timingSafeEqual(expected, Buffer.from(given, "hex"));
  });
}
