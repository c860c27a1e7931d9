import type { RuleModule } from "../../engine/types.js";
import { archiveExtraction } from "./archive-extraction.js";
import { commandProgram } from "./command-program.js";
import { ldapInjection } from "./ldap-injection.js";
import { regexInjection } from "./regex-injection.js";
import { xmlUntrustedParser } from "./xml-untrusted-parser.js";
import { xpathInjection } from "./xpath-injection.js";

/** PG-INPUT-010…015: request data into XPath, LDAP, XML parsers, archive extraction, regular expressions and program choice. */
export const injectionSinkRules: readonly RuleModule[] = [xpathInjection, ldapInjection, xmlUntrustedParser, archiveExtraction, regexInjection, commandProgram];
