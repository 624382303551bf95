import { describe, expect, it } from "vitest";
import { jsonErrorReason } from "../../src/core/json-error.js";
import { maskCommandWords, maskSecretsInText } from "../../src/core/secrets.js";

describe("maskCommandWords (--print-model's command)", () => {
  it.each<[string[], string[]]>([
    [["redis-server", "--requirepass", "hunter2hunter2xx"], ["redis-server", "--requirepass", "hu…(16 chars)"]],
    [["redis-server", "--masterauth", "pw"], ["redis-server", "--masterauth", "…(2 chars)"]],
    [["app", "--password=sekrit", "--api-key", "abc"], ["app", "--password=…(6 chars)", "--api-key", "…(3 chars)"]],
    [["env", "DB_PASSWORD=pw123", "DEBUG=1"], ["env", "DB_PASSWORD=…(5 chars)", "DEBUG=1"]],
    [["celery", "-b", "amqp://u:pw@rabbit//"], ["celery", "-b", "amqp://u:…(2 chars)@rabbit//"]],
    [["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3"], ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3"]],
    // A flag after a secret option is a flag, not its value.
    [["x", "--password", "--verbose"], ["x", "--password", "--verbose"]],
  ])("%j → %j", (words, shown) => {
    expect(maskCommandWords(words)).toEqual(shown);
  });
});

describe("maskSecretsInText (free text that quotes the user's input)", () => {
  it.each<[string, string]>([
    ['not the string "DB_PASSWORD=pw123"', 'not the string "DB_PASSWORD=…(5 chars)"'],
    ["token: 'abc def' and api_key=xyz, DEBUG=1", "token: '…(7 chars)' and api_key=…(3 chars), DEBUG=1"],
    ["postgres://app:pw@db/app", "postgres://app:…(2 chars)@db/app"],
    ["services.web.ports[0]: invalid port", "services.web.ports[0]: invalid port"],
  ])("%j → %j", (text, shown) => {
    expect(maskSecretsInText(text)).toBe(shown);
  });
});

describe("jsonErrorReason", () => {
  it("drops the input text Node 20 quotes, and the position", () => {
    let message = "";
    try {
      JSON.parse('{"password": hunter2hunter2}');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(jsonErrorReason(message)).toBe("Unexpected token 'h'");
    expect(jsonErrorReason("Unexpected end of JSON input")).toBe("Unexpected end of JSON input");
    expect(jsonErrorReason("Expected ',' or '}' after property value in JSON at position 40")).toBe("Expected ',' or '}' after property value");
  });
});
