import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Pins the CloudFormation logical id of a construct's main resource to a
 * readable name. CDK would append a path hash; the local runner and operators
 * look resources up by these names, so they must not move when the construct
 * tree is refactored. Duplicates still fail synthesis, as CDK checks them.
 */
export function useReadableLogicalId(construct: IConstruct, logicalId: string): void {
  const resource = construct.node.defaultChild;
  if (!CfnResource.isCfnResource(resource)) {
    throw new Error(`${construct.node.path} has no CloudFormation resource to name ${logicalId}`);
  }
  resource.overrideLogicalId(logicalId);
}
