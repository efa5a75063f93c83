// Bug: loadConfig's promise never settles when the file is missing (resolve is never called on
// that path), so start() waits forever and the process exits without ever finishing.
import fs from 'node:fs';

function readConfigFile(path) {
  return new Promise((resolve) => {
    fs.readFile(path, 'utf8', (err, text) => {
      if (err) return; // BUG: neither resolve nor reject on error
      resolve(text);
    });
  });
}

async function loadConfig() {
  const text = await readConfigFile('/nonexistent/cinema-config.json');
  return JSON.parse(text);
}

async function start() {
  const config = await loadConfig();
  console.log('started with', config);
}

start();
