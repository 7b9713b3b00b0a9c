// The pinned Fluxer OpenAPI description as a test oracle: route matching, response
// validation and a coverage log of the operations our tests have exercised.
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ValidateFunction } from "ajv/dist/2020.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

const HTTP_METHODS = ["get", "put", "post", "patch", "delete", "head", "options", "trace"] as const;
const OUT_OF_SCOPE_TAGS = new Set(["Premium", "Billing", "Donations", "Gifts"]);
// Ajv resolves `#/components/...` refs inside the document against this id.
const DOC_ID = "openapi";

export interface OpenApiOperation {
  operationId: string;
  tags?: string[];
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  [key: string]: unknown;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, unknown> };
}

interface IndexedOperation {
  operationId: string;
  method: string;
  template: string;
  segments: string[];
  op: OpenApiOperation;
  tags: string[];
}

export interface OperationMatch {
  operationId: string;
  template: string;
  op: OpenApiOperation;
  tags: string[];
}

export type ValidationResult = { ok: true; operationId: string; documented: boolean } | { ok: false; error: string };

export interface ResponseToValidate {
  method: string;
  path: string;
  status: number;
  // Parsed JSON when contentType is omitted; the raw text (or Buffer) when it is given.
  body: unknown;
  contentType?: string;
}

export function specPath(): string {
  if (process.env.FLUXER_OPENAPI) return resolve(process.env.FLUXER_OPENAPI);
  const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
  return resolve(repoRoot, "..", "shared", "fluxer-api", "openapi.json");
}

let cachedDoc: OpenApiDocument | undefined;
let cachedIndex: IndexedOperation[] | undefined;
let cachedAjv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

function loadDocument(): OpenApiDocument {
  if (!cachedDoc) {
    const file = specPath();
    try {
      cachedDoc = JSON.parse(readFileSync(file, "utf8")) as OpenApiDocument;
    } catch (err) {
      throw new Error(`cannot read the pinned OpenAPI description at ${file} (set FLUXER_OPENAPI to override): ${String(err)}`);
    }
  }
  return cachedDoc;
}

function operationIndex(): IndexedOperation[] {
  if (!cachedIndex) {
    const index: IndexedOperation[] = [];
    for (const [template, item] of Object.entries(loadDocument().paths)) {
      for (const method of HTTP_METHODS) {
        const op = item[method];
        if (!op) continue;
        index.push({
          operationId: op.operationId,
          method: method.toUpperCase(),
          template,
          segments: splitPath(template),
          op,
          tags: op.tags ?? [],
        });
      }
    }
    cachedIndex = index;
  }
  return cachedIndex;
}

function splitPath(path: string): string[] {
  return path.split("/").filter((segment) => segment !== "");
}

function isParam(segment: string): boolean {
  return segment.startsWith("{") && segment.endsWith("}");
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// Request paths may carry the REST prefix; spec templates never do.
function normalizeRequestPath(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? "";
  for (const prefix of ["/api/v1", "/api"]) {
    if (bare === prefix) return "/";
    if (bare.startsWith(`${prefix}/`)) return bare.slice(prefix.length);
  }
  return bare;
}

// Compares two matching templates: the first segment where one is literal and the other a
// parameter decides, so `/users/@me` beats `/users/{user_id}` (as fastify's router does).
function moreSpecific(a: IndexedOperation, b: IndexedOperation): boolean {
  for (let i = 0; i < a.segments.length; i++) {
    const aParam = isParam(a.segments[i] ?? "");
    const bParam = isParam(b.segments[i] ?? "");
    if (aParam !== bParam) return !aParam;
  }
  return false;
}

function findOperation(method: string, path: string): IndexedOperation | null {
  const wanted = method.toUpperCase();
  const segments = splitPath(normalizeRequestPath(path)).map(decodeSegment);
  let best: IndexedOperation | null = null;
  for (const candidate of operationIndex()) {
    if (candidate.method !== wanted || candidate.segments.length !== segments.length) continue;
    const fits = candidate.segments.every((segment, i) => isParam(segment) || segment === segments[i]);
    if (fits && (!best || moreSpecific(candidate, best))) best = candidate;
  }
  return best;
}

export function matchOperation(method: string, path: string): OperationMatch | null {
  const found = findOperation(method, path);
  if (!found) return null;
  return { operationId: found.operationId, template: found.template, op: found.op, tags: found.tags };
}

function ajv(): Ajv2020 {
  if (!cachedAjv) {
    const instance = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    // ajv-formats is CommonJS; under ESM its callable may sit on `.default`.
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
      ajv: Ajv2020,
    ) => void;
    addFormats(instance);
    instance.addFormat("snowflake", { type: "string", validate: /^(0|[1-9][0-9]*)$/ });
    instance.addFormat("int53", {
      type: "number",
      validate: (n: number) => Number.isSafeInteger(n),
    });
    instance.addFormat("int32", {
      type: "number",
      validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647,
    });
    // The whole document, so JSON pointers reach inline response schemas and their
    // `#/components/schemas/X` refs resolve against the same root.
    instance.addSchema({ ...loadDocument(), $id: DOC_ID });
    cachedAjv = instance;
  }
  return cachedAjv;
}

function pointerPart(part: string): string {
  return encodeURIComponent(part.replace(/~/g, "~0").replace(/\//g, "~1"));
}

function validatorAt(parts: string[]): ValidateFunction {
  const ref = `${DOC_ID}#/${parts.map(pointerPart).join("/")}`;
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv().compile({ $ref: ref });
    validators.set(ref, validate);
  }
  return validate;
}

function formatErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`)
    .join("; ");
}

function isEmptyBody(body: unknown): boolean {
  if (body === undefined || body === null || body === "") return true;
  return Buffer.isBuffer(body) && body.length === 0;
}

type Decoded = { ok: true; value: unknown } | { ok: false; error: string };

// Raw bodies (contentType given) must be JSON; parsed bodies pass through untouched.
function decodeBody(body: unknown, contentType: string | undefined): Decoded {
  if (contentType === undefined) return { ok: true, value: body };
  if (!/^application\/json\b/i.test(contentType.trim())) {
    return { ok: false, error: `content-type is ${contentType}, expected application/json` };
  }
  const text = Buffer.isBuffer(body) ? body.toString("utf8") : body;
  if (typeof text !== "string") return { ok: true, value: body };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, error: `body is not valid JSON: ${text.slice(0, 80)}` };
  }
}

export function validateResponse(res: ResponseToValidate): ValidationResult {
  const { method, path, status, body, contentType } = res;
  const found = findOperation(method, path);
  if (!found) {
    return { ok: false, error: `${method.toUpperCase()} ${path} matches no operation in the spec` };
  }
  const { operationId } = found;
  const where = `${operationId} (${found.method} ${found.template}) status ${status}`;
  const documented = found.op.responses?.[String(status)];

  let schemaPath: string[] | null;
  if (documented) {
    const media = documented.content?.["application/json"];
    if (status === 204 || !documented.content) {
      schemaPath = null;
    } else if (!media?.schema) {
      // JSON with no schema: anything parseable is fine.
      schemaPath = [];
    } else {
      schemaPath = [
        "paths",
        found.template,
        found.method.toLowerCase(),
        "responses",
        String(status),
        "content",
        "application/json",
        "schema",
      ];
    }
  } else if (status >= 400) {
    schemaPath = ["components", "schemas", "Error"];
  } else {
    const listed = Object.keys(found.op.responses ?? {}).join(", ");
    return { ok: false, error: `${where} is not documented (documented: ${listed})` };
  }

  if (schemaPath === null) {
    if (!isEmptyBody(body)) return { ok: false, error: `${where} must have an empty body` };
    return { ok: true, operationId, documented: true };
  }

  const decoded = decodeBody(body, contentType);
  if (!decoded.ok) return { ok: false, error: `${where}: ${decoded.error}` };
  if (schemaPath.length === 0) return { ok: true, operationId, documented: Boolean(documented) };

  const validate = validatorAt(schemaPath);
  if (!validate(decoded.value)) {
    const against = documented ? "documented schema" : "components.schemas.Error";
    return { ok: false, error: `${where} body does not match the ${against}: ${formatErrors(validate)}` };
  }
  return { ok: true, operationId, documented: Boolean(documented) };
}

export function specRoutes(): { method: string; template: string }[] {
  return operationIndex().map(({ method, template }) => ({ method, template }));
}

export function inScopeOperations(): {
  operationId: string;
  method: string;
  template: string;
  tags: string[];
}[] {
  return operationIndex()
    .filter((entry) => !entry.tags.some((tag) => OUT_OF_SCOPE_TAGS.has(tag)))
    .map(({ operationId, method, template, tags }) => ({ operationId, method, template, tags }));
}

// One file per process: node --test runs each test file in its own process.
export function recordCoverage(operationId: string): void {
  const dir = process.env.FLUXER_COVERAGE_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `${process.pid}.txt`), `${operationId}\n`);
}
