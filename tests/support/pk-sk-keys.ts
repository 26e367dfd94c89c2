/**
 * A table keyed by string pk and sk, as a CloudFormation template (and DynamoDB's DescribeTable)
 * spells its keys: the hand-written templates and the assertions about synthesized tables share it.
 */

export const PK_SK = [
  { AttributeName: 'pk', KeyType: 'HASH' },
  { AttributeName: 'sk', KeyType: 'RANGE' },
];

export const PK_SK_ATTRIBUTES = [
  { AttributeName: 'pk', AttributeType: 'S' },
  { AttributeName: 'sk', AttributeType: 'S' },
];
