/**
 * Opsflow's custom search attributes: what an admin filters on in the Temporal UI or with
 * `temporal workflow list --query "OpsOverdue=true AND OpsProcess='change'"`.
 * The dev-server bootstrap registers exactly this list.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const OpsProcess = defineSearchAttributeKey('OpsProcess', SearchAttributeType.KEYWORD);
export const OpsStage = defineSearchAttributeKey('OpsStage', SearchAttributeType.KEYWORD);
export const OpsPriority = defineSearchAttributeKey('OpsPriority', SearchAttributeType.KEYWORD);
export const OpsAssignees = defineSearchAttributeKey('OpsAssignees', SearchAttributeType.KEYWORD_LIST);
export const OpsDueAt = defineSearchAttributeKey('OpsDueAt', SearchAttributeType.DATETIME);
export const OpsOverdue = defineSearchAttributeKey('OpsOverdue', SearchAttributeType.BOOL);
export const OpsBusinessKey = defineSearchAttributeKey('OpsBusinessKey', SearchAttributeType.KEYWORD);
export const OpsSystem = defineSearchAttributeKey('OpsSystem', SearchAttributeType.KEYWORD);

export const opsSearchAttributes = [
  OpsProcess,
  OpsStage,
  OpsPriority,
  OpsAssignees,
  OpsDueAt,
  OpsOverdue,
  OpsBusinessKey,
  OpsSystem,
];
