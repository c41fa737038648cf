// The ARM errors of Microsoft.Authorization, worded as ARM words them where known.

import { ArmError } from './types';

export function authorizationFailed(objectId: string, action: string, scope: string): ArmError {
  return new ArmError(
    403,
    'AuthorizationFailed',
    `The client '${objectId}' with object id '${objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

/**
 * The 403 when an assignment would grant the action but its condition does not hold: ARM's wording,
 * as quoted in learn.microsoft.com/azure/role-based-access-control/troubleshooting ("Symptom - Unable
 * to assign a role") and in recorded AuthorizationFailed answers to role assignment writes.
 */
export function conditionNotFulfilled(objectId: string, action: string, scope: string): ArmError {
  return new ArmError(
    403,
    'AuthorizationFailed',
    `The client '${objectId}' with object id '${objectId}' does not have authorization or an ABAC condition not fulfilled to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

/**
 * A condition ARM would not accept, or one the sandbox cannot evaluate. The message is ARM's
 * (learn.microsoft.com/azure/role-based-access-control/conditions-troubleshoot); the code is the
 * sandbox's choice, and the reason follows the message so a test can tell what was refused.
 */
export function invalidCondition(reason: string): ArmError {
  return new ArmError(400, 'InvalidCondition', `The given role assignment condition is invalid. ${reason}.`);
}

export function roleDefinitionDoesNotExist(status: 400 | 404, id: string): ArmError {
  return new ArmError(
    status,
    'RoleDefinitionDoesNotExist',
    `The specified role definition with ID '${id}' does not exist.`,
  );
}

export function roleDefinitionWithSameNameExists(): ArmError {
  return new ArmError(
    409,
    'RoleDefinitionWithSameNameExists',
    'A role definition cannot be updated with a name that already exists.',
  );
}

/**
 * A new assignment name for a principal, role and scope already assigned. ARM names the existing
 * assignment by its name without dashes (quoted in answers since 2025, Azure/azure-cli#31995 and #32027).
 */
export function roleAssignmentExists(existingName: string): ArmError {
  return new ArmError(
    409,
    'RoleAssignmentExists',
    `The role assignment already exists. The ID of the existing role assignment is ${existingName.replace(/-/g, '').toLowerCase()}.`,
  );
}

export function roleAssignmentUpdateNotPermitted(): ArmError {
  return new ArmError(
    409,
    'RoleAssignmentUpdateNotPermitted',
    'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.',
  );
}

export function roleAssignmentNotFound(name: string): ArmError {
  return new ArmError(404, 'RoleAssignmentNotFound', `The role assignment '${name}' is not found.`);
}

export function badRequest(code: string, message: string): ArmError {
  return new ArmError(400, code, message);
}
