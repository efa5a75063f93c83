/**
 * Execution Cinema for VS Code: the `cinema` debug type (its adapter is `cinema dap`, run with the
 * workspace's own execution-cinema when it has one), "Record and Debug" for the current file or an
 * npm script, "Debug Recording" on recording folders in the explorer, and a toolbar button that
 * opens the web UI at the moment the debugger is stopped at.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';

const TYPE = 'cinema';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(TYPE, { createDebugAdapterDescriptor: (session) => adapterFor(session.workspaceFolder) }),
    vscode.debug.registerDebugConfigurationProvider(TYPE, { resolveDebugConfiguration: fillIn }),
    vscode.commands.registerCommand('executionCinema.recordAndDebugFile', recordAndDebugFile),
    vscode.commands.registerCommand('executionCinema.recordAndDebugScript', recordAndDebugScript),
    vscode.commands.registerCommand('executionCinema.openRecording', openRecording),
    vscode.commands.registerCommand('executionCinema.openInWebUi', openInWebUi),
  );
  // The explorer offers "Debug Recording" on folders that hold a manifest.json: keep their list current.
  const watcher = vscode.workspace.createFileSystemWatcher('**/manifest.json');
  context.subscriptions.push(watcher, watcher.onDidCreate(refreshRecordings), watcher.onDidDelete(refreshRecordings));
  void refreshRecordings();
}

export function deactivate(): void {}

async function refreshRecordings(): Promise<void> {
  const found = await vscode.workspace.findFiles('**/manifest.json', '**/node_modules/**', 2000);
  const dirs = found.filter((u) => looksLikeRecording(path.dirname(u.fsPath))).map((u) => path.dirname(u.fsPath));
  await vscode.commands.executeCommand('setContext', 'executionCinema.recordings', dirs);
}

/** A recording's manifest names its format; any other manifest.json (a web app's) is not one. */
function looksLikeRecording(dir: string): boolean {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { format?: unknown };
    return typeof m.format === 'string' && m.format.includes('cinema');
  } catch {
    return false;
  }
}

/** The cinema CLI: the setting, the workspace's execution-cinema (or the repository itself), or `cinema` on the PATH. */
export function findCinema(folder: string | undefined, setting: string): { command: string; args: string[] } {
  const node = vscode.workspace.getConfiguration('executionCinema').get<string>('nodePath') || 'node';
  if (setting) return { command: node, args: [setting] };
  for (let dir = folder; dir; dir = path.dirname(dir) === dir ? undefined : path.dirname(dir)) {
    const installed = path.join(dir, 'node_modules', 'execution-cinema', 'bin', 'cinema.js');
    if (fs.existsSync(installed)) return { command: node, args: [installed] };
    try {
      const own = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (own.name === 'execution-cinema' && fs.existsSync(path.join(dir, 'bin', 'cinema.js'))) return { command: node, args: [path.join(dir, 'bin', 'cinema.js')] };
    } catch {
      // no package.json here
    }
  }
  return { command: 'cinema', args: [] };
}

function adapterFor(folder: vscode.WorkspaceFolder | undefined): vscode.DebugAdapterDescriptor {
  const setting = vscode.workspace.getConfiguration('executionCinema').get<string>('cinemaPath') ?? '';
  const cli = findCinema(folder?.uri.fsPath, setting);
  return new vscode.DebugAdapterExecutable(cli.command, [...cli.args, 'dap'], folder ? { cwd: folder.uri.fsPath } : {});
}

/** F5 without a launch.json: record and debug the file in the editor. */
function fillIn(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
  if (config.type || config.request || config.name) return { cwd: folder?.uri.fsPath, ...config };
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || !['javascript', 'typescript'].includes(doc.languageId)) {
    void vscode.window.showErrorMessage('Execution Cinema: open a JavaScript or TypeScript file, or add a "cinema" launch configuration.');
    return undefined;
  }
  return fileConfig(doc.uri, folder);
}

function fileConfig(file: vscode.Uri, folder: vscode.WorkspaceFolder | undefined): vscode.DebugConfiguration {
  const runner = /\.[cm]?tsx?$/.test(file.fsPath) ? ['npx', 'tsx'] : ['node'];
  return { type: TYPE, request: 'launch', name: `Record and debug ${path.basename(file.fsPath)}`, command: [...runner, file.fsPath], cwd: folder?.uri.fsPath ?? path.dirname(file.fsPath), stopOnEntry: true };
}

async function recordAndDebugFile(uri?: vscode.Uri): Promise<void> {
  const file = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!file || file.scheme !== 'file') {
    void vscode.window.showErrorMessage('Execution Cinema: no file to record (open a .js or .ts file).');
    return;
  }
  const folder = vscode.workspace.getWorkspaceFolder(file);
  await vscode.debug.startDebugging(folder, fileConfig(file, folder));
}

async function recordAndDebugScript(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.length === 1 ? vscode.workspace.workspaceFolders[0] : await vscode.window.showWorkspaceFolderPick();
  if (!folder) return;
  let scripts: Record<string, string> = {};
  try {
    scripts = (JSON.parse(fs.readFileSync(path.join(folder.uri.fsPath, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  } catch {
    void vscode.window.showErrorMessage(`Execution Cinema: ${folder.name} has no readable package.json.`);
    return;
  }
  const pick = await vscode.window.showQuickPick(
    Object.entries(scripts).map(([label, detail]) => ({ label, detail })),
    { placeHolder: 'npm script to record, then debug' },
  );
  if (!pick) return;
  await vscode.debug.startDebugging(folder, { type: TYPE, request: 'launch', name: `Record and debug npm run ${pick.label}`, command: ['npm', 'run', pick.label], cwd: folder.uri.fsPath, stopOnEntry: false });
}

async function openRecording(uri?: vscode.Uri): Promise<void> {
  if (!uri) return;
  const dir = path.basename(uri.fsPath) === 'manifest.json' ? path.dirname(uri.fsPath) : uri.fsPath;
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    void vscode.window.showErrorMessage(`Execution Cinema: ${dir} is not a recording (it has no manifest.json).`);
    return;
  }
  await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), { type: TYPE, request: 'launch', name: `Replay ${path.basename(dir)}`, recording: dir, stopOnEntry: true });
}

async function openInWebUi(): Promise<void> {
  const session = vscode.debug.activeDebugSession;
  if (session?.type !== TYPE) {
    void vscode.window.showErrorMessage('Execution Cinema: no recording is being debugged.');
    return;
  }
  const item = vscode.debug.activeStackItem;
  const threadId = item && item.session.id === session.id ? item.threadId : undefined;
  try {
    const { url } = (await session.customRequest('cinema/openUi', threadId !== undefined ? { threadId } : {})) as { url: string };
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
  } catch (e) {
    void vscode.window.showErrorMessage(`Execution Cinema: ${(e as Error).message}`);
  }
}
