/**
 * Who is running a command, for audit records of operator actions (an emergency `stop`, `import`,
 * `state rm`): the git identity configured where the project lives (`user.name <user.email>`, what
 * a commit made now would carry), else the login name ($USER, then the OS account). Never fails:
 * an audit record always names someone.
 */
import { userInfo } from 'node:os';

export async function operatorIdentity(projectRoot: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromGit = await gitIdentity(projectRoot);
  if (fromGit) return fromGit;
  const login = env.USER?.trim() || env.USERNAME?.trim() || safeUserName();
  return login ? login : 'unknown';
}

async function gitIdentity(dir: string): Promise<string | null> {
  try {
    // Loaded here, as in ./repo.ts: most runs of the commands that import this never reach it.
    const { simpleGit } = await import('simple-git');
    const g = simpleGit({ baseDir: dir, trimmed: true });
    const name = (await g.raw(['config', '--get', 'user.name']).catch(() => '')).trim();
    const email = (await g.raw(['config', '--get', 'user.email']).catch(() => '')).trim();
    if (!name && !email) return null;
    return email ? `${name || email} <${email}>` : name;
  } catch {
    // Not a folder git can run in, or git is not installed: fall back to the login name.
    return null;
  }
}

function safeUserName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}
