import { buildStack, DeploymentContextError } from './synth';

// `cdk synth` and `cdk deploy` run this file; context comes from the CLI (-c alarmEmail=… -c webAclArn=…).
// alarmEmail is required unless -c local=true (LocalStack, or a synth only to read).
try {
  buildStack({ bundle: true, forDeployment: true }).app.synth();
} catch (error) {
  if (!(error instanceof DeploymentContextError)) throw error;
  console.error(error.message);
  process.exit(1);
}
