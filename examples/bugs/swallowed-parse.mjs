// Bug: a settings file with a typo fails to parse inside JSON.parse (a built-in: nothing of it is
// recorded), the empty catch block swallows it, and the program runs on the defaults as if the
// file had been read.
const DEFAULTS = { currency: 'EUR', taxRate: 0.2 };

function loadSettings(text) {
  let settings = DEFAULTS;
  try {
    settings = { ...DEFAULTS, ...JSON.parse(text) };
  } catch (err) {} // BUG: the parse error is swallowed
  return settings;
}

function price(net, settings) {
  return `${(net * (1 + settings.taxRate)).toFixed(2)} ${settings.currency}`;
}

const file = '{ "currency": "USD", taxRate: 0.07 }'; // the typo: taxRate is not quoted
console.log(price(100, loadSettings(file)));
