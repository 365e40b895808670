// The dashboard's Go receiver snippets and seed 002's Go program, built once and run as real HTTPS receivers.
import { describeReceiver, goProgram, here, seed } from '@/test/signing/receivers';

for (const format of ['standard', 'axifi', 'axle'] as const) {
  describeReceiver(`snippet ${format}.go`, format, '/webhook', () => goProgram(here('snippets', `${format}.go`)));
}
describeReceiver('seed 002 Go', 'axle', '/webhook', () => goProgram(seed('seed-002-axle.go')));
