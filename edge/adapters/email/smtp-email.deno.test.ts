/**
 * The SMTP adapter under Deno (the binary from the `deno` npm package; nodemailer through Deno's Node
 * compatibility, from node_modules as deno.json's "nodeModulesDir" says), sending to the loopback SMTP server on the
 * host: the same message arrives, and a refused connection is a failure to retry, as on Node.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredInCi } from '../../../e2e/support/required-in-ci.ts';
import { closedPort, startTestSmtpServer, type TestSmtpServer } from '../../../e2e/support/smtp-server.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DENO = `${ROOT}node_modules/.bin/deno`;
const ADAPTER = new URL('./smtp-email.ts', import.meta.url).href;

// Prints the outcome as one JSON line.
const SCRIPT = `
import { createSmtpEmail } from '${ADAPTER}';
const email = createSmtpEmail({ url: Deno.env.get('SMTP_URL'), from: 'TaxiWatch <alerts@taxiwatch.localhost>', timeoutMs: 5000 });
const outcome = await email.send({ to: 'owner@fleet.example', subject: 'Informe diario 🚕 Ñandú', text: 'Señal ✅', html: '<p>Señal ✅</p>' });
email.close();
console.log(JSON.stringify(outcome));`;

function inDeno(smtpUrl: string): Promise<any> {
  return new Promise((resolve, reject) => {
    execFile(
      DENO,
      ['eval', SCRIPT],
      { cwd: ROOT, env: { ...process.env, SMTP_URL: smtpUrl }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`deno failed: ${stderr || error.message}`));
        resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
      },
    );
  });
}

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
});
afterAll(() => smtp?.close());

describe.skipIf(!requiredInCi(existsSync(DENO), `Deno at ${DENO}`, 'npm ci installs it'))('smtp email on Deno', () => {
  it('delivers the message in UTF-8 to a real SMTP server', async () => {
    expect(await inDeno(smtp.url)).toEqual({ status: 'sent', messageId: expect.any(String) });
    const mail = await smtp.next();
    expect(mail.user).toBe('taxiwatch');
    expect(mail.parsed.subject).toBe('Informe diario 🚕 Ñandú');
    expect(mail.parsed.text?.trimEnd()).toBe('Señal ✅');
    expect(mail.parsed.html).toBe('<p>Señal ✅</p>');
  }, 90_000);

  it('answers a refused connection with a failure to retry', async () => {
    expect(await inDeno(`smtp://u:p@127.0.0.1:${await closedPort()}`)).toEqual({
      status: 'failed',
      error: expect.stringContaining('ECONNREFUSED'),
      retry: true,
    });
  }, 90_000);
});
