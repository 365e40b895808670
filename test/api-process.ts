import { spawn, type ChildProcess } from 'node:child_process';
import { env } from '@/lib/env';

// Starts test/api-server-main.ts as a child process on a PostgreSQL database, with this process's keys and
// loopback endpoints allowed;
// resolves with its base URL once it listens.
export async function spawnApiProcess(databaseUrl: string, extra: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; output: () => string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/api-server-main.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, AUTH_SECRET: env().AUTH_SECRET, WEBHOOK_ENCRYPTION_KEY: env().WEBHOOK_ENCRYPTION_KEY, WEBHOOK_WORKER: 'off', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API process did not start in 30 s:\n${output}`)), 30_000);
    const onData = (b: Buffer) => {
      output += b;
      const m = /api listening on (\S+)/.exec(output);
      if (m) (clearTimeout(timer), resolve(m[1]!));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => (output += b));
    child.on('exit', (code) => (clearTimeout(timer), reject(new Error(`the API process exited (${code}):\n${output}`))));
  });
  return {
    child,
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
