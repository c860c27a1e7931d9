import type { TaintSource } from "../../engine/analyses/taint.js";
import { argument, callArguments, calleeLastName, field, type CallArguments } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, Severity, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { describeFlow, snippet, untrustedSource } from "./flows.js";
import { constructionOf, enclosingConditions, valueOf } from "./sink-support.js";

const TAR_OPENERS: ReadonlySet<string> = new Set([
  "tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open", "tarfile.TarFile.taropen", "tarfile.TarFile.gzopen",
  "tarfile.TarFile.bz2open", "tarfile.TarFile.xzopen", "tarfile.TarFile.zstopen",
]);
const ZIP_OPENERS: ReadonlySet<string> = new Set(["zipfile.ZipFile", "zipfile.PyZipFile"]);
const UNPACK: ReadonlySet<string> = new Set(["shutil.unpack_archive"]);
const UNSAFE_FILTERS: ReadonlySet<string> = new Set(["tarfile.fully_trusted_filter"]);
/** A check on a member's name or target that keeps it inside the folder. */
const MEMBER_CHECK = /\.\.|isabs|is_absolute|is_relative_to|realpath|abspath|commonpath|startswith|\.resolve\(|data_filter|tar_filter/u;
const METHODS: ReadonlySet<string> = new Set(["extractall", "extract"]);

type Kind = "tar" | "zip";

interface Candidate {
  call: SyntaxNode;
  kind: Kind;
  severity: Severity;
  message: string;
  /** The receiver's text, for `tar.extraction_filter = ...` set elsewhere in the file. */
  receiver: string | null;
}

/** The archive a tarfile/zipfile constructor opens: the file name or the file object. */
function archiveArguments(kind: Kind, args: CallArguments): SyntaxNode[] {
  const result: SyntaxNode[] = [];
  const name = argument(args, 0, kind === "tar" ? "name" : "file");
  if (name) result.push(name);
  if (kind === "tar") {
    const fileobj = argument(args, 2, "fileobj");
    if (fileobj) result.push(fileobj);
  }
  return result;
}

function taintOf(context: RuleContext, nodes: readonly SyntaxNode[]): { node: SyntaxNode; source: TaintSource } | null {
  for (const node of nodes) {
    const source = untrustedSource(context, node, "archive");
    if (source) return { node, source };
  }
  return null;
}

/** "safe", "unsafe" (an explicit `fully_trusted` filter) or "missing". */
function filterState(context: RuleContext, args: CallArguments): "safe" | "unsafe" | "missing" {
  const filter = args.keywords.get("filter");
  if (!filter) return args.hasSplat ? "safe" : "missing";
  const constant = context.analyses.constant(filter);
  if (constant) {
    if (constant.value === null) return "missing";
    return constant.value === "fully_trusted" ? "unsafe" : "safe";
  }
  const resolved = filter.type === "identifier" || filter.type === "attribute" ? context.analyses.resolve(filter) : null;
  return resolved && resolved.origin !== "local" && UNSAFE_FILTERS.has(resolved.name) ? "unsafe" : "safe";
}

/** True when `members=` selects the members through a check (a function of this file, or a comprehension that tests the names). */
function membersChecked(context: RuleContext, members: SyntaxNode | undefined): boolean {
  if (!members) return false;
  const value = valueOf(context, members);
  if (value.type === "list_comprehension" || value.type === "generator_expression") {
    return value.namedChildren.some((clause) => clause.type === "if_clause" && MEMBER_CHECK.test(clause.text));
  }
  if (value.type === "call") {
    // `tar.getmembers()` lists every member; any other call is taken for a filter (`func_safeMembers(tar)`).
    return calleeLastName(value) !== "getmembers";
  }
  return false;
}

export const archiveExtraction: RuleModule = {
  meta: {
    id: "PG-INPUT-013",
    name: "unsafe-archive-extraction",
    title: "Archive extracted without a path filter",
    sections: ["G3", "C3"],
    cwe: [22, 409],
    defaultSeverity: "warning",
    bandit: ["B202"],
    docs: {
      whatItDoes:
        "Reports `tarfile` extraction (`extractall`, `extract`, and `shutil.unpack_archive` of tar archives) without `filter=\"data\"` (or `\"tar\"`, `tarfile.data_filter`, or a `members=` selection that checks the names): an error when the archive comes from the request (an upload, the body), a warning otherwise. `zipfile` extraction of an archive from the request is a warning: nothing limits its size.",
      whyIsThisBad:
        "A tar member named `../../home/app/.ssh/authorized_keys` or `/etc/cron.d/job`, or a symlink followed by a file written through it, lands outside the target folder (\"tar slip\"): an attacker who uploads an archive overwrites code or configuration. `zipfile` strips `..` and absolute paths and does not create symlinks, but a small zip can expand to gigabytes (zip bomb) and fill the disk.",
      example:
        'import tarfile\nfrom flask import request\n\n@app.route("/themes", methods=["POST"])\ndef func_uploadTheme():\n    with tarfile.open(fileobj=request.files["theme"].stream) as archive:\n        archive.extractall("/srv/themes")\n    return "ok"',
      useInstead:
        'import tarfile\nfrom flask import request\n\n@app.route("/themes", methods=["POST"])\ndef func_uploadTheme():\n    with tarfile.open(fileobj=request.files["theme"].stream) as archive:\n        # Rejects absolute names, `..`, links outside the folder, devices and set-uid bits.\n        archive.extractall("/srv/themes", filter="data")\n    return "ok"',
      notes:
        "`filter=` exists from Python 3.12 and in the security releases 3.8.17, 3.9.17, 3.10.12 and 3.11.4. Python 3.14 makes `\"data\"` the default, so on 3.14 and later the warning for archives that do not come from the request can be turned off; the error stays (an explicit filter documents the intent and protects older interpreters). `filter=\"fully_trusted\"` is reported as a missing filter. Not reported: `tar.extraction_filter = tarfile.data_filter` set on the archive or on `tarfile.TarFile`, `members=` given a function of the file (`members=func_safeMembers(tar)`) or a comprehension that tests the names (`..`, `isabs`, `realpath`, `is_relative_to`…), `extract` inside an `if` that makes such a test, `zipfile` archives that do not come from the request (zipfile already keeps names inside the folder), and zip extraction in a function that looks at `file_size`. `shutil.unpack_archive` of a `.zip` (by name or `format=\"zip\"`) is treated as zip.",
    },
  },
  create(context) {
    const aliases = new ImportAliases(new Set(["unpack_archive"]));
    const candidates: Candidate[] = [];
    /** Receivers (and `tarfile.TarFile`) given an `extraction_filter`. */
    const filtered = new Set<string>();

    function tarMessage(call: SyntaxNode, sinkName: string, taint: { node: SyntaxNode; source: TaintSource } | null, state: "unsafe" | "missing"): Candidate {
      const how = state === "unsafe" ? "with `filter=\"fully_trusted\"`" : "without a filter";
      const risk = "member names with `../` or absolute paths, and symlinks, write files outside the target folder (tar slip)";
      const fix = "pass `filter=\"data\"` (Python 3.12+, 3.8.17+, the default from 3.14)";
      if (taint) {
        return {
          call,
          kind: "tar",
          severity: "error",
          receiver: null,
          message: `${describeFlow(context, taint.node, taint.source)} and \`${sinkName}\` extracts that archive ${how}: ${risk}; ${fix}.`,
        };
      }
      return { call, kind: "tar", severity: "warning", receiver: null, message: `\`${sinkName}\` extracts a tar archive ${how}: ${risk}; ${fix}, or check each member's name before extracting it.` };
    }

    function zipCandidate(call: SyntaxNode, sinkName: string, taint: { node: SyntaxNode; source: TaintSource }): Candidate | null {
      const scope = context.analyses.scopes.functionScopeAt(call);
      if (scope && context.source.slice(scope.startIndex, scope.endIndex).includes("file_size")) return null;
      return {
        call,
        kind: "zip",
        severity: "warning",
        receiver: null,
        message: `${describeFlow(context, taint.node, taint.source)} and \`${sinkName}\` extracts that zip archive whatever its size: a small upload can expand to gigabytes (zip bomb); add up \`info.file_size\` over \`infolist()\` and check it, and the number of members, against a limit before extracting.`,
      };
    }

    function visitMethod(node: SyntaxNode, callee: SyntaxNode, method: string): void {
      const receiver = field(callee, "object");
      if (!receiver) return;
      const construction = constructionOf(context, receiver);
      if (!construction?.call || construction.methods.length > 0 || construction.item) return;
      const tar = TAR_OPENERS.has(construction.name);
      if (!tar && !ZIP_OPENERS.has(construction.name)) return;
      const kind: Kind = tar ? "tar" : "zip";
      const taint = taintOf(context, archiveArguments(kind, callArguments(construction.call)));
      const sinkName = snippet(callee);
      if (kind === "zip") {
        const candidate = taint ? zipCandidate(node, sinkName, taint) : null;
        if (candidate) candidates.push(candidate);
        return;
      }
      const args = callArguments(node);
      const state = filterState(context, args);
      if (state === "safe") return;
      if (state === "missing" && method === "extractall" && membersChecked(context, argument(args, 1, "members"))) return;
      if (state === "missing" && enclosingConditions(node).some((condition) => MEMBER_CHECK.test(condition.text))) return;
      candidates.push({ ...tarMessage(node, sinkName, taint, state), receiver: receiver.text });
    }

    function visitUnpack(node: SyntaxNode, callee: SyntaxNode): void {
      const resolved = context.analyses.resolve(callee);
      if (!resolved || resolved.origin === "local" || !UNPACK.has(resolved.name)) return;
      const args = callArguments(node);
      const fileName = argument(args, 0, "filename");
      if (!fileName) return;
      const format = argument(args, 2, "format");
      const formatValue = format ? context.analyses.constant(format)?.value : undefined;
      const nameValue = context.analyses.constant(fileName)?.value;
      const zip = formatValue === "zip" || (typeof nameValue === "string" && nameValue.toLowerCase().endsWith(".zip"));
      const taint = taintOf(context, [fileName]);
      const sinkName = snippet(callee);
      if (zip) {
        const candidate = taint ? zipCandidate(node, sinkName, taint) : null;
        if (candidate) candidates.push(candidate);
        return;
      }
      if (typeof formatValue === "string" && formatValue !== "tar" && !formatValue.endsWith("tar")) return;
      const state = filterState(context, args);
      if (state !== "safe") candidates.push(tarMessage(node, sinkName, taint, state));
    }

    return {
      import_from_statement: aliases.visit,
      assignment(node) {
        const left = field(node, "left");
        if (left?.type !== "attribute" || field(left, "attribute")?.text !== "extraction_filter") return;
        const object = field(left, "object");
        if (!object) return;
        const resolved = context.analyses.resolve(object);
        filtered.add(resolved?.name === "tarfile.TarFile" ? "tarfile.TarFile" : object.text);
      },
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null) return;
        const callee = field(node, "function");
        if (!callee) return;
        if (METHODS.has(lastName)) {
          if (callee.type === "attribute") visitMethod(node, callee, lastName);
          return;
        }
        if (aliases.has(lastName)) visitUnpack(node, callee);
      },
      "module:exit"() {
        for (const candidate of candidates) {
          if (candidate.kind === "tar" && (filtered.has("tarfile.TarFile") || (candidate.receiver !== null && filtered.has(candidate.receiver)))) continue;
          context.report({ node: candidate.call, severity: candidate.severity, message: candidate.message });
        }
      },
    };
  },
};

