import { abortGroup } from './abort.js';
import { concurrentCreateGroup } from './concurrency.js';
import type { ContractGroup } from './contract-case.js';
import { coreGroup } from './core.js';
import { listGroup, listPageCapGroup } from './list.js';
import { caseSensitiveNamesGroup, namesGroup } from './names.js';
import { binaryValuesGroup, largeValuesGroup } from './values.js';

export type { ContractCase, ContractGroup } from './contract-case.js';

/** Every group of the contract, in the order the suite registers them. */
export const CONTRACT_GROUPS: readonly ContractGroup[] = [
  coreGroup,
  binaryValuesGroup,
  largeValuesGroup,
  namesGroup,
  caseSensitiveNamesGroup,
  listGroup,
  listPageCapGroup,
  concurrentCreateGroup,
  abortGroup,
];
