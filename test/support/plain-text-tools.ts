/**
 * The environment for hledger and bean-check. The exports are UTF-8 (a daily entry's description says
 * "Ad network earnings ×1", payees keep their own names), and hledger reads a file in the locale's encoding:
 * under the bare C locale (CI's, and many cron jobs') it stops at the first such byte with "hGetContents: invalid
 * argument (invalid byte sequence)", as hledger's manual warns. A finance person's shell has a UTF-8 locale; so
 * do these tools here, whatever the machine running the tests has.
 */
export const PLAIN_TEXT_TOOL_ENV: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C.UTF-8' };
