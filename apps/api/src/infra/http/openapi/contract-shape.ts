/**
 * `true` when a response class declares exactly the fields of its contract type: with
 * `implements` (which checks the fields' types) a field added to or dropped from either
 * side fails to compile, so the OpenAPI schema cannot drift from libs/contracts.
 */
export type SameKeys<Dto, Contract> = [
  Exclude<keyof Dto, keyof Contract>,
  Exclude<keyof Contract, keyof Dto>,
] extends [never, never]
  ? true
  : false;

/** `sameKeys<AgentDto, Agent>(true)` compiles only while the two have the same fields. */
export function sameKeys<Dto, Contract>(proof: SameKeys<Dto, Contract>): void {
  void proof;
}
