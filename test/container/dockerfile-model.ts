// The Dockerfile as build stages, read with a real Dockerfile parser (dockerfile-ast, the one behind the VS
// Code Docker extension) rather than regular expressions: flags, JSON (exec) form, line continuations and
// `AS name` are then read the way Docker reads them. The only importer of dockerfile-ast.
import { DockerfileParser, From, JSONInstruction, Label, ModifiableInstruction } from 'dockerfile-ast';
import type { Instruction } from 'dockerfile-ast';

export interface BuildStage {
  from: From;
  /** The `AS` name, or undefined for an unnamed stage. */
  name: string | undefined;
  /** The stage's instructions after its FROM. */
  instructions: readonly Instruction[];
}

/** Splits a Dockerfile into its stages; instructions before the first FROM (global ARGs) belong to none. */
export function parseStages(text: string): BuildStage[] {
  const stages: { from: From; name: string | undefined; instructions: Instruction[] }[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (instruction instanceof From) {
      stages.push({ from: instruction, name: instruction.getBuildStage() ?? undefined, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The stage's instructions with this keyword; none for a missing stage. */
export function instructionsOf(stage: BuildStage | undefined, keyword: string): Instruction[] {
  return (stage?.instructions ?? []).filter((instruction) => instruction.getKeyword() === keyword);
}

/** The parser directives (`# syntax=…`, `# escape=…`) at the top of a Dockerfile, by name, lower-case. */
export function parserDirectiveNames(text: string): string[] {
  return DockerfileParser.parse(text)
    .getDirectives()
    .map((directive) => (directive.getName() ?? '').toLowerCase());
}

/** Every `--name=value` of an instruction (a RUN may have several --mount flags). */
export function flagValues(instruction: Instruction, name: string): string[] {
  if (!(instruction instanceof ModifiableInstruction)) return [];
  return instruction
    .getFlags()
    .filter((flag) => flag.getName() === name)
    .map((flag) => flag.getValue() ?? '');
}

/** `LABEL` key/value pairs of a stage, later ones winning as in Docker. */
export function labelsOf(stage: BuildStage | undefined): Map<string, string> {
  const labels = new Map<string, string>();
  for (const label of instructionsOf(stage, 'LABEL')) {
    if (!(label instanceof Label)) continue;
    for (const property of label.getProperties()) labels.set(property.getName(), property.getValue() ?? '');
  }
  return labels;
}

/** Arguments without flags; for the exec (JSON) form, the decoded strings. */
export function argumentValues(instruction: Instruction): string[] {
  if (isExecForm(instruction)) return parseExecForm(instruction.getArgumentsContent() ?? '') ?? instruction.getJSONStrings().map((argument) => argument.getJSONValue());
  return instruction.getArguments().map((argument) => argument.getValue());
}

// The exec form is a JSON array, and Docker reads it with a JSON parser. dockerfile-ast 0.7.1's
// getJSONValue() drops the spaces inside a string (`["sh", "-c", "node /app/x"]` gives `node/app/x`), so
// the array is parsed here; getArgumentsContent() has already joined continued lines and left out flags.
function parseExecForm(content: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(content);
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isExecForm(instruction: Instruction): instruction is JSONInstruction {
  return instruction instanceof JSONInstruction && instruction.getOpeningBracket() !== null;
}

/** `--name=value` of an instruction, or undefined when the flag is absent. */
export function flagValue(instruction: Instruction, name: string): string | undefined {
  if (!(instruction instanceof ModifiableInstruction)) return undefined;
  const flag = instruction.getFlags().find((candidate) => candidate.getName() === name);
  return flag === undefined ? undefined : (flag.getValue() ?? '');
}

// The official image under each of the names Docker resolves to it.
const nodeImageName = /^(?:(?:docker\.io\/)?library\/)?node$/;
// `26.12.1`, `26.12.1-alpine3.24`, `26.12.1-trixie-slim`: a full version pins Node; `26-alpine`, `lts` or
// `alpine` float to whatever is newest when the image is built.
const pinnedNodeTag = /^(\d+)\.(\d+)\.(\d+)(?:-[a-z0-9.-]+)?$/;

/** The exact Node version an official `node:` base image pins by its tag, or undefined. */
export function pinnedNodeVersion(from: From): string | undefined {
  const name = from.getImageName();
  const tag = from.getImageTag();
  if (name === null || tag === null || !nodeImageName.test(name)) return undefined;
  const match = pinnedNodeTag.exec(tag);
  return match === null ? undefined : `${match[1]}.${match[2]}.${match[3]}`;
}

/**
 * Node's long-term-support lines: the even majors up to 26; from 27 on every major becomes LTS (the
 * release schedule announced in 2026, one major a year).
 */
export function isLtsMajor(major: number): boolean {
  return major >= 27 || major % 2 === 0;
}
