import { buildStack } from './synth';

// `cdk synth` and `cdk deploy` run this file; context comes from the CLI (-c webAclArn=… -c alarmEmail=…).
buildStack({ bundle: true }).app.synth();
