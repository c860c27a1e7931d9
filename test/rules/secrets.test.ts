import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.js";
import { closestId } from "../../src/rules/documentation/unknown-suppression-id.js";
import { judgeSecretValue, nameWords, secretName } from "../../src/rules/secrets/lexicon.js";
import { findTokens } from "../../src/rules/secrets/token-formats.js";
import { analyze } from "../support/engine.js";

/**
 * Unit tests for the G6 lexicon and severities. Token-shaped values are assembled at run time
 * from obviously artificial repeats, so that no file in the repository holds one.
 */
const FAKE_GITHUB = ["gh", "p_", "a1B2c3D4".repeat(4), "e5F6"].join("");
const FAKE_AWS_ID = ["AK", "IA", "Q7W3E5R7T2Y4U6I8"].join("");

function secFindings(source: string, path = "app/settings.py", config?: ReturnType<typeof configSchema.parse>) {
  return analyze(source, path, config)
    .findings.filter((finding) => finding.ruleId.startsWith("PG-SEC-"))
    .map((finding) => ({ line: finding.line, rule: finding.ruleId, severity: finding.severity, message: finding.message }));
}

describe("name tokenizer", () => {
  it("splits camelCase, acronyms, digits, underscores and dashes", () => {
    expect(nameWords("dbPassword")).toEqual(["db", "password"]);
    expect(nameWords("DB_PASSWORD")).toEqual(["db", "password"]);
    expect(nameWords("APIKey")).toEqual(["api", "key"]);
    expect(nameWords("apiKey2")).toEqual(["api", "key", "2"]);
    expect(nameWords("X-Auth-Token")).toEqual(["x", "auth", "token"]);
  });

  it("matches secret words as whole words at the head of the name", () => {
    for (const name of ["dbPassword", "DB_PASSWORD", "apiKey", "APIKey", "api_key", "clientSecret", "SECRET_KEY", "accessToken", "aws_secret_access_key", "dbPass", "passwordValue", "apikey", "credentials", "basicAuth", "passphrase", "password2"]) {
      expect(secretName(name), name).not.toBeNull();
    }
  });

  it("does not match substrings, label suffixes or non-secret qualifiers", () => {
    for (const name of ["passage", "bypass", "compass", "tokenizer", "secretary", "keyboard", "author", "passwordField", "tokenType", "secretName", "apiKeyHeader", "PASSWORD_MIN_LENGTH", "TOKEN_URL", "passwordHash", "hashedPassword", "publicKey", "sshKey", "cacheKey", "sessionKey", "eosToken", "nextPageToken", "firstPass", "maxTokens", "isPassword", "secretsManager"]) {
      expect(secretName(name), name).toBeNull();
    }
  });
});

describe("secret values", () => {
  const password = secretName("dbPassword");
  const token = secretName("authToken");
  const auth = secretName("auth");

  it("skips placeholders and templates", () => {
    if (!password) throw new Error("dbPassword must match");
    for (const value of ["", "changeme", "<password>", "${DB_PASSWORD}", "{password}", "%(password)s", "xxx", "***", "TODO", "dummy", "example", "your-password-here", "vault:secret/db"]) {
      expect(judgeSecretValue(value, password).kind, value).toBe("placeholder");
    }
  });

  it("skips labels but keeps real-looking values", () => {
    if (!password || !token || !auth) throw new Error("names must match");
    for (const value of ["db_password", "user_password", "X-Auth-Token", "/reset-password", "DB_PASSWORD", "Invalid password."]) {
      expect(judgeSecretValue(value, password).kind, value).toBe("label");
    }
    expect(judgeSecretValue("bearer", token).kind).toBe("label");
    expect(judgeSecretValue("basic", auth).kind).toBe("label");
    for (const value of ["hunter2", "Tr0ub4dor&3", "super-secret", "mysecretpassword", "postgres", "correct horse battery staple"]) {
      expect(judgeSecretValue(value, password).kind, value).toBe("report");
    }
    expect(judgeSecretValue("FAKE-pw-1", password).kind).toBe("marked");
  });
});

describe("token formats", () => {
  it("finds tokens by prefix and never for look-alikes", () => {
    expect(findTokens(`x ${FAKE_GITHUB} y`).map((match) => match.format.id)).toEqual(["github-token"]);
    expect(findTokens("ghp_[A-Za-z0-9]{36}")).toEqual([]);
    expect(findTokens("risk-free task-runner")).toEqual([]);
  });
});

describe("severities and messages", () => {
  it("reports an unmarked token as an error without printing it", () => {
    const [finding] = secFindings(`TOKEN_VALUE = "${FAKE_GITHUB}"\n`);
    expect(finding).toMatchObject({ rule: "PG-SEC-002", severity: "error" });
    expect(finding?.message).toContain("`ghp_…`, 40 characters");
    expect(finding?.message).not.toContain(FAKE_GITHUB.slice(4, 12));
  });

  it("reports AWS's documented example key as a note, and a key under a secret name once", () => {
    expect(secFindings('AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\n')).toMatchObject([{ rule: "PG-SEC-002", severity: "note" }]);
    expect(secFindings(`awsAccessKey = "${FAKE_AWS_ID}"\n`)).toMatchObject([{ rule: "PG-SEC-002", severity: "error" }]);
  });

  it("reports a named secret as an error, a marked one as a note, and one in a test module as a warning", () => {
    expect(secFindings('dbPassword = "Tr0ub4dor&3"\n')).toMatchObject([{ rule: "PG-SEC-001", severity: "error" }]);
    expect(secFindings('dbPassword = "FAKE-pw-1"\n')).toMatchObject([{ rule: "PG-SEC-001", severity: "note" }]);
    expect(secFindings('dbPassword = "Tr0ub4dor&3"\n', "tests/test_db.py")).toMatchObject([{ rule: "PG-SEC-001", severity: "warning" }]);
  });

  it("never prints the secret in a message", () => {
    const findings = secFindings('dbPassword = "Tr0ub4dor&3"\nDSN = "postgres://app:Tr0ub4dor&3@db.internal/x"\n');
    expect(findings.map((finding) => finding.rule)).toEqual(["PG-SEC-001", "PG-SEC-003"]);
    for (const finding of findings) expect(finding.message).not.toContain("Tr0ub4dor");
  });

  it("reports URLs to local services as notes", () => {
    expect(secFindings('DSN = "mysql://root:Tr0ub4dor@localhost/app"\n')).toMatchObject([{ rule: "PG-SEC-003", severity: "note" }]);
  });

  it("reports the password keyword of an auth class once, under PG-SEC-004", () => {
    const source = 'from requests.auth import HTTPBasicAuth\n\nAUTH = HTTPBasicAuth(username="svc", password="Tr0ub4dor&3")\n';
    expect(secFindings(source).map((finding) => finding.rule)).toEqual(["PG-SEC-004"]);
  });

  it("honours the ignoreNames and placeholders options", () => {
    const config = configSchema.parse({
      rules: { "PG-SEC-001": { options: { ignoreNames: ["dbPassword"], placeholders: ["local-dev-only"] } } },
    });
    expect(secFindings('dbPassword = "Tr0ub4dor&3"\nadminPassword = "local-dev-only"\n', "app/settings.py", config)).toEqual([]);
  });
});

describe("suppression id suggestions", () => {
  it("suggests the closest id within two edits", () => {
    const known = ["PG-SQL-001", "PG-DYN-001", "G4", "G5", "B608"];
    expect(closestId("PG-SQL-01", known)).toBe("PG-SQL-001");
    expect(closestId("B680", known)).toBe("B608");
    expect(closestId("PG-ZZZ-999", known)).toBeNull();
  });
});
