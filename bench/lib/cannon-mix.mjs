// autocannon with a list of requests (its CLI takes one URL), for http-load.mjs: run pinned like
// the CLI, prints autocannon's result as JSON.
//   node bench/lib/cannon-mix.mjs PORT SECONDS CONNECTIONS REQUESTS_JSON
import autocannon from 'autocannon';

const [port, seconds, connections, requests] = process.argv.slice(2);
const r = await autocannon({ url: `http://127.0.0.1:${port}`, connections: Number(connections), duration: Number(seconds), requests: JSON.parse(requests) });
process.stdout.write(JSON.stringify(r));
