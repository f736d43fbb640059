/**
 * Who runs a command and from which commit, for the audit records of operator actions (`stop`,
 * `import`, `state rm`, `state resolve`, `send`, `raise`): the git facts of the project (3 git
 * processes) and the operator's identity (2 more) are asked at the same time, not one after the
 * other. The record's author is the operator, not HEAD's author.
 */
import type { Provenance } from '../state/record.js';
import { operatorIdentity } from '../git/identity.js';
import { gitInfo } from '../git/repo.js';

export interface OperatorProvenance {
  /** The operator: git identity `Name <email>`, else the login name. */
  by: string;
  provenance: Provenance;
}

export async function operatorProvenance(projectRoot: string, command: string): Promise<OperatorProvenance> {
  const [git, by] = await Promise.all([gitInfo(projectRoot), operatorIdentity(projectRoot)]);
  return { by, provenance: { command, git: { ...git, author: by } } };
}
