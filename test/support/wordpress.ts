import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Debian's `wordpress` package (6.1) and `wordpress-theme-twentytwentyone`. */
const WORDPRESS = '/usr/share/wordpress'
const THEMES = ['twentytwentyone', 'twentytwentythree']
const FIXTURES = resolve('test/fixtures/wordpress')
const PLUGIN = resolve('integrations/wordpress/parley-comments')
const DB_HOST = '127.0.0.1'
const DB_PORT = 3306

/** The site's administrator, for its dashboard. */
export const WP_ADMIN = { user: 'admin', password: 'correct horse battery staple' }

export interface PluginSettings {
  url: string
  key_prefix?: string
  cache_seconds?: number
  /** Parley's PARLEY_SSO_SECRET, for logged-in users' identity tokens. */
  identity_secret?: string
}

/**
 * Fails loudly, naming what to install, when php-cli, php-mysql, Debian's WordPress and its theme,
 * or MariaDB at 127.0.0.1:3306 are missing: the test is never skipped (CI installs them, `.ci/run`).
 */
async function requireTools(): Promise<void> {
  const missing: string[] = []
  const modules = await run('php', ['-m']).then(
    (r) => r.stdout,
    () => '',
  )
  if (!modules) missing.push('php-cli (apt-get install php-cli)')
  else if (!/^mysqli$/m.test(modules)) missing.push('php-mysql (apt-get install php-mysql)')
  const files = await Promise.all(
    ['wp-settings.php', ...THEMES.map((theme) => `wp-content/themes/${theme}/style.css`)].map((path) =>
      readFile(join(WORDPRESS, path)).then(
        () => undefined,
        () => path,
      ),
    ),
  )
  for (const path of files) if (path) missing.push(`${WORDPRESS}/${path} (apt-get install wordpress wordpress-theme-twentytwentyone)`)
  await mariadb('select 1').catch((error: Error) =>
    missing.push(`MariaDB at ${DB_HOST}:${DB_PORT} as root without a password (${error.message.split('\n')[0]})`),
  )
  if (missing.length) throw new Error(`The WordPress test needs:\n  ${missing.join('\n  ')}`)
}

const mariadb = (sql: string) => run('mariadb', [`-h${DB_HOST}`, `-P${DB_PORT}`, '-uroot', '-e', sql])

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((done) => server.close(() => done()))
  return port
}

const phpString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

/**
 * A real WordPress (Debian's 6.1) on a fresh MariaDB database and a copy of its files in a temporary
 * folder, served by `php -S`: Twenty Twenty-One active, the plugin from this repository (symlinked)
 * active and pointed at `parleyUrl`. WP_DEBUG is on and logs to `debug.log`; `phpErrors()` reads it.
 */
export async function startWordPress(plugin: PluginSettings) {
  await requireTools()
  const dir = await mkdtemp(join(tmpdir(), 'parley-wp-'))
  const database = `parley_wp_${process.pid}_${randomBytes(4).toString('hex')}`
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const env = { ...process.env, PARLEY_TEST_WP_HOME: url }
  let server: ChildProcess | undefined

  // php -S runs its workers (PHP_CLI_SERVER_WORKERS) as children that outlive it: the server gets a
  // process group of its own, ended whole, and ended too if this process exits without closing it.
  const stopServer = () => {
    if (server?.pid !== undefined && server.exitCode === null && server.signalCode === null) process.kill(-server.pid, 'SIGTERM')
  }
  const close = async () => {
    process.off('exit', stopServer)
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((done) => server?.once('exit', done))
      stopServer()
      await exited
    }
    await mariadb(`drop database if exists \`${database}\``).catch(() => undefined)
    await rm(dir, { recursive: true, force: true })
  }

  try {
    // A copy, not symlinks: WordPress finds wp-load.php and wp-config.php from __DIR__, which a
    // symlink resolves back to /usr/share/wordpress (and Debian's config in /etc). Hard links where
    // the file system allows them (instant), else a copy (a second).
    await run('cp', ['-al', `${WORDPRESS}/.`, dir]).catch(() => run('cp', ['-a', `${WORDPRESS}/.`, dir]))
    await rm(join(dir, 'wp-config.php'))
    await rm(join(dir, 'wp-content'), { recursive: true, force: true })
    for (const sub of ['themes', 'plugins', 'mu-plugins', 'uploads']) await mkdir(join(dir, 'wp-content', sub), { recursive: true })
    for (const theme of THEMES) await symlink(join(WORDPRESS, 'wp-content/themes', theme), join(dir, 'wp-content/themes', theme))
    await symlink(PLUGIN, join(dir, 'wp-content/plugins/parley-comments'))
    for (const mu of ['comment-links.php', 'offline.php']) await copyFile(join(FIXTURES, mu), join(dir, 'wp-content/mu-plugins', mu))
    await cp(join(FIXTURES, 'router.php'), join(dir, 'router.php'))
    await cp(join(FIXTURES, 'run.php'), join(dir, 'run.php'))
    await writeFile(join(dir, 'wp-config.php'), wpConfig(database, url))
    await mariadb(`create database \`${database}\` character set utf8mb4`)

    await php(
      `wp_install('Parley Test Blog', ${phpString(WP_ADMIN.user)}, 'admin@example.com', true, '', ${phpString(WP_ADMIN.password)});
       update_option('permalink_structure', '/%postname%/');
       return true;`,
      { PARLEY_TEST_WP_INSTALLING: '1' },
    )
    await php(
      `switch_theme('twentytwentyone');
       $activated = activate_plugin('parley-comments/parley-comments.php');
       if (is_wp_error($activated)) throw new Exception($activated->get_error_message());
       flush_rewrite_rules(false);
       return true;`,
    )
    await setPlugin(plugin)

    server = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', dir, join(dir, 'router.php')], {
      cwd: dir,
      env: { ...env, PHP_CLI_SERVER_WORKERS: '4' },
      stdio: 'ignore',
      detached: true,
    })
    process.once('exit', stopServer)
    for (let tries = 0; ; tries++) {
      const up = await fetch(`${url}/wp-login.php`, { redirect: 'manual' }).then(
        (res) => res.status,
        () => 0,
      )
      if (up === 200) break
      if (tries > 100 || server.exitCode !== null) throw new Error(`php -S did not start on ${url} (last answer ${up})`)
      await new Promise((done) => setTimeout(done, 50))
    }
  } catch (error) {
    await close()
    throw error
  }

  /** Runs PHP inside this WordPress (php-cli) and returns what it returns, through JSON. */
  async function php(code: string, extra: Record<string, string> = {}): Promise<unknown> {
    const { stdout } = await run('php', [join(dir, 'run.php'), code], { cwd: dir, env: { ...env, ...extra } }).catch(
      (error: Error & { stdout?: string; stderr?: string }) => {
        throw new Error(`php failed: ${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`)
      },
    )
    try {
      return JSON.parse(stdout)
    } catch {
      throw new Error(`php printed more than its answer: ${stdout}`)
    }
  }

  /** Sets the plugin's settings as its settings page would save them (through its own sanitizing). */
  async function setPlugin(settings: Partial<PluginSettings>): Promise<void> {
    const fields = Object.entries(settings)
      .map(([name, value]) => `${phpString(name)} => ${typeof value === 'number' ? value : phpString(String(value))}`)
      .join(', ')
    const saved = await php(
      `$input = array_merge(get_option('parley_comments_settings', array()), array(${fields}));
       $clean = Parley_Comments_Settings::sanitize($input);
       update_option('parley_comments_settings', $clean);
       return $clean;`,
    )
    for (const [name, value] of Object.entries(settings)) {
      if ((saved as Record<string, unknown>)[name] !== value)
        throw new Error(`the plugin refused ${name} = ${value}: ${JSON.stringify(saved)}`)
    }
  }

  return {
    url,
    dir,
    php,
    setPlugin,
    close,
    /** A published post; returns its ID and permalink. */
    async createPost(title: string, content: string): Promise<{ id: number; url: string }> {
      const id = Number(
        await php(
          `return wp_insert_post(array('post_title' => ${phpString(title)}, 'post_content' => ${phpString(content)}, 'post_status' => 'publish', 'comment_status' => 'open'), true);`,
        ),
      )
      return { id, url: String(await php(`return get_permalink(${id});`)) }
    },
    /**
     * What PHP logged (WP_DEBUG_LOG): errors, warnings and notices, and the plugin's deprecations.
     * WordPress 6.1's own deprecations under PHP 8.2 (Requests' ArrayAccess signatures, null
     * arguments) are its own.
     */
    async phpErrors(): Promise<string[]> {
      const log = await readFile(join(dir, 'wp-content/debug.log'), 'utf8').catch(() => '')
      return log
        .split('\n')
        .filter((line) => line.trim() !== '')
        .filter((line) => !/^\[[^\]]+\] PHP Deprecated: /.test(line) || line.includes('parley-comments'))
    },
  }
}

export type WordPress = Awaited<ReturnType<typeof startWordPress>>

function wpConfig(database: string, url: string): string {
  const salt = () => phpString(randomBytes(32).toString('base64'))
  const keys = [
    'AUTH_KEY',
    'SECURE_AUTH_KEY',
    'LOGGED_IN_KEY',
    'NONCE_KEY',
    'AUTH_SALT',
    'SECURE_AUTH_SALT',
    'LOGGED_IN_SALT',
    'NONCE_SALT',
  ]
  return `<?php
define( 'DB_NAME', ${phpString(database)} );
define( 'DB_USER', 'root' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', '${DB_HOST}:${DB_PORT}' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
${keys.map((key) => `define( '${key}', ${salt()} );`).join('\n')}
$table_prefix = 'wp_';
define( 'WP_HOME', ${phpString(url)} );
define( 'WP_SITEURL', ${phpString(url)} );
define( 'WP_CONTENT_DIR', __DIR__ . '/wp-content' );
define( 'WP_CONTENT_URL', ${phpString(`${url}/wp-content`)} );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', true );
define( 'WP_DEBUG_DISPLAY', false );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_AUTO_UPDATE_CORE', false );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
`
}
