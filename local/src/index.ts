export { LocalCloud } from './local-cloud';
export type { LocalCloudOptions } from './local-cloud';
export { readCloudAssembly, AssemblyError } from './assembly/cloud-assembly';
export type { CloudAssembly } from './assembly/cloud-assembly';
export { DeploymentError } from './stacks/deployment-error';
export type { DeployedStack } from './services/cloudformation/model';
export { invocationRecord, s3RecordKey } from './services/lambda/record';
export type { DeliveryReport, InvocationReport } from './services/lambda/model';
export type { DestinationDelivery, DestinationHandler } from './services/lambda/destinations';
