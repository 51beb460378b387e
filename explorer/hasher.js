// Hashing as you type: SHA-256 (the browser's own SubtleCrypto where the page is a secure context,
// e.g. 127.0.0.1; else the FIPS 180-4 function below) and SM3 (GB/T 32905-2016, below), computed in
// this browser on every keystroke, with the bits that changed since the previous keystroke in red.
// Nothing is sent anywhere; the typed text goes back to Python only to be kept for the session.

const rotl = (x, n) => (x << n) | (x >>> (32 - n));
const rotr = (x, n) => (x >>> n) | (x << (32 - n));

// Merkle–Damgård padding shared by SHA-256 and SM3: 0x80, zeros, the bit length (64-bit big-endian).
function padded(bytes) {
  const length = ((bytes.length + 9 + 63) >> 6) << 6;
  const out = new Uint8Array(length);
  out.set(bytes);
  out[bytes.length] = 0x80;
  const bits = bytes.length * 8;
  const view = new DataView(out.buffer);
  view.setUint32(length - 8, Math.floor(bits / 0x100000000));
  view.setUint32(length - 4, bits >>> 0);
  return view;
}

function words(state) {
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  state.forEach((word, i) => view.setUint32(4 * i, word >>> 0));
  return out;
}

const K256 = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

function sha256(bytes) {
  const view = padded(bytes);
  const h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const w = new Array(64);
  for (let block = 0; block < view.byteLength; block += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(block + 4 * i);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let [a, b, c, d, e, f, g, k] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i]) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    [a, b, c, d, e, f, g, k].forEach((x, i) => { h[i] = (h[i] + x) | 0; });
  }
  return words(h);
}

function sm3(bytes) {
  const view = padded(bytes);
  const v = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];
  const p0 = (x) => x ^ rotl(x, 9) ^ rotl(x, 17);
  const p1 = (x) => x ^ rotl(x, 15) ^ rotl(x, 23);
  const w = new Array(68);
  for (let block = 0; block < view.byteLength; block += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(block + 4 * i);
    for (let i = 16; i < 68; i++) {
      w[i] = p1(w[i - 16] ^ w[i - 9] ^ rotl(w[i - 3], 15)) ^ rotl(w[i - 13], 7) ^ w[i - 6];
    }
    let [a, b, c, d, e, f, g, h] = v;
    for (let j = 0; j < 64; j++) {
      const t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
      const ss1 = rotl((rotl(a, 12) + e + rotl(t, j % 32)) | 0, 7);
      const ss2 = ss1 ^ rotl(a, 12);
      const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
      const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
      const tt1 = (ff + d + ss2 + (w[j] ^ w[j + 4])) | 0;
      const tt2 = (gg + h + ss1 + w[j]) | 0;
      d = c; c = rotl(b, 9); b = a; a = tt1; h = g; g = rotl(f, 19); f = e; e = p0(tt2);
    }
    [a, b, c, d, e, f, g, h].forEach((x, i) => { v[i] ^= x; });
  }
  return words(v);
}

async function sha256Browser(bytes) {
  if (globalThis.crypto && crypto.subtle) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  }
  return sha256(bytes);  // not a secure context (a LAN address over http): the same function, in JS
}

const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
const bitsOf = (bytes) => [...bytes].flatMap((b) => [7, 6, 5, 4, 3, 2, 1, 0].map((i) => (b >> i) & 1));
const escape = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));

// The bit grid as minichain.viz.avalanche_svg draws it (same colours; on a canvas, the same layout).
function gridSvg(before, after, data) {
  const old = bitsOf(before), now = bitsOf(after);
  const canvas = data.canvas;
  const columns = data.columns;
  const cell = canvas ? (canvas.width - 8) / columns : 14;
  const size = canvas ? canvas.text : 13;
  const rows = Math.ceil(now.length / columns);
  let changed = 0;
  const cells = now.map((bit, i) => {
    const differs = old[i] !== bit;
    if (differs) changed++;
    const fillColour = differs ? "#c62828" : bit ? "#e0e0e0" : "#fafafa";
    const stroke = differs ? "#b71c1c" : "#bdbdbd";
    return `<rect x="${4 + (i % columns) * cell}" y="${4 + Math.floor(i / columns) * cell}" width="${cell - 2}"`
      + ` height="${cell - 2}" rx="2" fill="${fillColour}" stroke="${stroke}"/>`;
  }).join("");
  const label = fill(data.words.changed, { changed, total: now.length, percent: Math.round(100 * changed / now.length) });
  const width = columns * cell + 8, height = rows * cell + 15 + size;
  const sizing = canvas ? 'width="100%" style="display:block;width:100%;height:auto"'
    : `width="${width}" height="${height}" style="max-width:100%;height:auto"`;
  return `<svg xmlns="http://www.w3.org/2000/svg" ${sizing} viewBox="0 0 ${width} ${height}" role="img">`
    + cells + `<text x="4" y="${rows * cell + 7 + size}" font-size="${size}" fill="#212121"`
    + ` font-family="'Noto Sans', 'Noto Sans CJK SC', 'DejaVu Sans', sans-serif">${escape(label)}</text></svg>`;
}

export default function ({ parentElement, data, setStateValue }) {
  const host = parentElement.host || parentElement;
  let root = parentElement.querySelector(".mc-hasher");
  if (!root) {
    root = document.createElement("div");
    root.className = "mc-hasher";
    root.innerHTML = '<label class="mc-hasher-label"></label><input class="mc-hasher-input" type="text"'
      + ' spellcheck="false" autocomplete="off" maxlength="2000"><div class="mc-hasher-out"></div>';
    parentElement.appendChild(root);
    root.querySelector("input").value = data.initial;
    host.mcHasher = { previous: data.initial, seq: 0, timer: null };
  }
  const state = host.mcHasher;
  const input = root.querySelector("input");
  const id = `mc-hasher-${data.key}`;
  input.id = id;
  const label = root.querySelector("label");
  label.htmlFor = id;
  label.textContent = data.words.input;
  const out = root.querySelector(".mc-hasher-out");

  async function draw(before, after) {
    const seq = ++state.seq;
    state.shown = [before, after];
    const encode = (s) => new TextEncoder().encode(s);
    const digests = [
      ["SHA-256", await sha256Browser(encode(before)), await sha256Browser(encode(after))],
      ["SM3", sm3(encode(before)), sm3(encode(after))],
    ];
    if (seq !== state.seq) return;  // a later keystroke already drew
    out.innerHTML = digests.map(([name, then, now]) => {
      const since = before === after ? "" : `<p class="mc-hasher-changed">${escape(fill(data.words.since, {
        changed: bitsOf(then).filter((bit, i) => bit !== bitsOf(now)[i]).length, total: 256, previous: before }))}</p>`;
      return `<h3 class="mc-hasher-name">${name}</h3><code class="mc-hex" data-hash="${name}">${hex(now)}</code>`
        + since + `<div class="mc-svg">${gridSvg(then, now, data)}</div>`;
    }).join("");
  }

  input.oninput = () => {
    const before = state.previous, after = input.value;
    state.previous = after;
    draw(before, after);
    clearTimeout(state.timer);  // the text is kept for the session once typing pauses
    state.timer = setTimeout(() => setStateValue("text", after), 600);
  };
  // Called again when Python's data changes (the language, presenter mode, the text kept after a
  // pause): the same comparison is drawn again, so the red bits stay while the presenter talks.
  draw(...(state.shown || [input.value, input.value]));
}

export { sha256, sm3 };
