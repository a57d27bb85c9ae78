/** The Node.js major version AWS SDK releases after the first week of January 2027 require. */
export const SDK_NODE_MAJOR = 22;

/**
 * The SDK's Node.js support notice in one line, or undefined on a Node.js it keeps supporting. The SDK's own
 * notice is eight lines of process warning on every run; the command line turns it off and shows this line
 * instead, only to a person at a terminal, so it never mixes into an error line or a pipe.
 */
export function nodeSupportNotice(nodeVersion: string, program: string): string | undefined {
  const major = Number.parseInt(nodeVersion.replace(/^v/, ''), 10);
  if (!Number.isFinite(major) || major >= SDK_NODE_MAJOR) return undefined;
  return `${program}: note: running on Node.js ${nodeVersion}; AWS SDK releases after the first week of January 2027 need Node.js ${SDK_NODE_MAJOR} or later.`;
}
