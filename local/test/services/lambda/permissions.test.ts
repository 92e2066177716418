import { LambdaPermissions } from '../../../src/services/lambda/permissions';

const SNS = { principal: 'sns.amazonaws.com', sourceArn: 'arn:aws:sns:us-east-1:000000000000:topic', sourceAccount: '000000000000' };

test.each([
  ['the statement CDK writes', { action: 'lambda:InvokeFunction', principal: 'sns.amazonaws.com', sourceArn: SNS.sourceArn }, undefined, true],
  ['lambda:* to anyone', { action: 'lambda:*', principal: '*' }, undefined, true],
  ['a wildcard source ARN', { action: 'lambda:InvokeFunction', principal: 'sns.amazonaws.com', sourceArn: 'arn:aws:sns:us-east-1:000000000000:t*' }, undefined, true],
  ['another topic', { action: 'lambda:InvokeFunction', principal: 'sns.amazonaws.com', sourceArn: 'arn:aws:sns:us-east-1:000000000000:other' }, undefined, false],
  ['another service', { action: 'lambda:InvokeFunction', principal: 's3.amazonaws.com' }, undefined, false],
  ['another action', { action: 'lambda:GetFunction', principal: 'sns.amazonaws.com' }, undefined, false],
  ['another account', { action: 'lambda:InvokeFunction', principal: 'sns.amazonaws.com', sourceAccount: '111111111111' }, undefined, false],
  ['an alias statement, invoked through the alias', { action: 'lambda:InvokeFunction', principal: 'sns.amazonaws.com', qualifier: 'live' }, 'live', true],
  ['an alias statement, invoked unqualified', { action: 'lambda:InvokeFunction', principal: 'sns.amazonaws.com', qualifier: 'live' }, undefined, false],
  ['an unqualified statement, invoked through an alias', { action: 'lambda:InvokeFunction', principal: 'sns.amazonaws.com' }, 'live', false],
  ['an unqualified statement, invoked as $LATEST', { action: 'lambda:InvokeFunction', principal: 'sns.amazonaws.com' }, '$LATEST', true],
])('%s', (_name, statement, qualifier, allowed) => {
  // GIVEN one statement on function f WHEN SNS asks to invoke f (at the qualifier) THEN allowed or not
  const permissions = new LambdaPermissions();
  permissions.add({ functionName: 'f', ...statement });
  expect(permissions.allowsInvoke('f', qualifier, SNS)).toBe(allowed);
  expect(permissions.allowsInvoke('g', qualifier, SNS)).toBe(false);
});
