/** What the counter needs of an aws-sdk-client-mock stub: the calls it recorded. */
export interface RecordingMock {
  calls(): readonly { readonly args: readonly unknown[] }[];
}

/** Command names (`PutEvaluations`, from `PutEvaluationsCommand`) and how often the mocked clients got each. */
export function countCalls(mocks: readonly RecordingMock[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const mock of mocks) {
    for (const call of mock.calls()) {
      const name = (call.args[0] as object).constructor.name.replace(/Command$/, '');
      counts[name] = (counts[name] ?? 0) + 1;
    }
  }
  return counts;
}

/** Total of a {@link countCalls} result. */
export function totalCalls(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}
