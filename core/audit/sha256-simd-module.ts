// The bytes of a small WebAssembly module that hashes many messages at once with SHA-256 (FIPS 180-4), four at a time
// in the lanes of 128-bit SIMD registers: RFC 6962 leaves (0x00 ‖ line) and interior nodes (0x01 ‖ left ‖ right).
// Written out here instruction by instruction, so no WebAssembly toolchain is needed to build or review it.

// --- a minimal WebAssembly binary writer ----------------------------------------------------------------------------

const unsignedLeb = (value: number): number[] => {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
};

const signedLeb = (value: number): number[] => {
  const out: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
};

const I32 = 0x7f;
const V128 = 0x7b;

/** The instructions this module uses (core and SIMD opcodes of the WebAssembly 2.0 specification). */
class Code {
  readonly bytes: number[] = [];
  private op(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }
  private simd(opcode: number, ...immediates: number[]): this {
    return this.op(0xfd, ...unsignedLeb(opcode), ...immediates);
  }
  get(local: number): this {
    return this.op(0x20, ...unsignedLeb(local));
  }
  set(local: number): this {
    return this.op(0x21, ...unsignedLeb(local));
  }
  tee(local: number): this {
    return this.op(0x22, ...unsignedLeb(local));
  }
  i32(value: number): this {
    return this.op(0x41, ...signedLeb(value));
  }
  add(): this {
    return this.op(0x6a);
  }
  sub(): this {
    return this.op(0x6b);
  }
  and(): this {
    return this.op(0x71);
  }
  shl(): this {
    return this.op(0x74);
  }
  shrU(): this {
    return this.op(0x76);
  }
  ltU(): this {
    return this.op(0x49);
  }
  geU(): this {
    return this.op(0x4f);
  }
  eqz(): this {
    return this.op(0x45);
  }
  select(): this {
    return this.op(0x1b);
  }
  /** i32.load with 1-byte alignment (addresses here are often unaligned) and a constant offset. */
  load(offset = 0): this {
    return this.op(0x28, 0, ...unsignedLeb(offset));
  }
  store8(offset = 0): this {
    return this.op(0x3a, 0, ...unsignedLeb(offset));
  }
  memoryCopy(): this {
    return this.op(0xfc, 10, 0, 0);
  }
  memoryFill(): this {
    return this.op(0xfc, 11, 0);
  }
  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  if(): this {
    return this.op(0x04, 0x40);
  }
  else(): this {
    return this.op(0x05);
  }
  end(): this {
    return this.op(0x0b);
  }
  br(depth: number): this {
    return this.op(0x0c, ...unsignedLeb(depth));
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...unsignedLeb(depth));
  }
  v128Load32Splat(offset: number): this {
    return this.simd(0x09, 0, ...unsignedLeb(offset));
  }
  v128Const(lanes: readonly [number, number, number, number]): this {
    const bytes: number[] = [];
    for (const lane of lanes) bytes.push(lane & 0xff, (lane >>> 8) & 0xff, (lane >>> 16) & 0xff, (lane >>> 24) & 0xff);
    return this.simd(0x0c, ...bytes);
  }
  splatConst(value: number): this {
    return this.v128Const([value, value, value, value]);
  }
  shuffle(lanes: readonly number[]): this {
    return this.simd(0x0d, ...lanes);
  }
  i32x4Splat(): this {
    return this.simd(0x11);
  }
  i32x4ReplaceLane(lane: number): this {
    return this.simd(0x1c, lane);
  }
  i32x4GtS(): this {
    return this.simd(0x3b);
  }
  v128And(): this {
    return this.simd(0x4e);
  }
  v128Or(): this {
    return this.simd(0x50);
  }
  v128Xor(): this {
    return this.simd(0x51);
  }
  bitselect(): this {
    return this.simd(0x52);
  }
  store32Lane(offset: number, lane: number): this {
    return this.simd(0x5a, 0, ...unsignedLeb(offset), lane);
  }
  i32x4Shl(): this {
    return this.simd(0xab);
  }
  i32x4ShrU(): this {
    return this.simd(0xad);
  }
  i32x4Add(): this {
    return this.simd(0xae);
  }
}

const section = (id: number, content: readonly number[]): number[] => [id, ...unsignedLeb(content.length), ...content];
const vector = (items: readonly (readonly number[])[]): number[] => [...unsignedLeb(items.length), ...items.flat()];
const name = (text: string): number[] => vector([...text].map((char) => [char.charCodeAt(0)]));

// --- SHA-256 ------------------------------------------------------------------------------------------------------

const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
];
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
/** Reverses the bytes of each 32-bit lane: memory holds SHA-256's words big-endian, WebAssembly loads little-endian. */
const BYTE_SWAP = [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12];

/** Where the module keeps the tail blocks it pads, 128 bytes per lane; callers' data starts at DATA_START. */
const SCRATCH = 0;
export const SHA256_SIMD_DATA_START = 1024;
/** Bytes the module may read past the end of the last input: keep them inside memory. */
export const SHA256_SIMD_READ_SLACK = 64;

/** Locals shared by both functions: parameters 0-3 (i32), then these. */
type Layout = {
  readonly i32: (name: string) => number;
  readonly v128: (name: string) => number;
  readonly declarations: number[];
};

const layout = (parameters: number, i32Names: readonly string[], v128Names: readonly string[]): Layout => {
  const i32Index = new Map(i32Names.map((local, at) => [local, parameters + at]));
  const v128Index = new Map(v128Names.map((local, at) => [local, parameters + i32Names.length + at]));
  return {
    i32: (local) => i32Index.get(local) ?? fail(local),
    v128: (local) => v128Index.get(local) ?? fail(local),
    declarations: vector([
      [...unsignedLeb(i32Names.length), I32],
      [...unsignedLeb(v128Names.length), V128],
    ]),
  };
};

const fail = (local: string): never => {
  throw new Error(`sha256-simd-module: no local ${local}`);
};

const STATE = ['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7'];
const WORK = ['va', 'vb', 'vc', 'vd', 've', 'vf', 'vg', 'vh'];
const WORDS = Array.from({ length: 16 }, (_, w) => `w${w}`);
const V128_LOCALS = [...STATE, ...WORK, ...WORDS, 't1', 't2', 'mask', 'blocks', 'tmp'];

const rotr = (code: Code, local: number, bits: number): void => {
  code
    .get(local)
    .i32(bits)
    .i32x4ShrU()
    .get(local)
    .i32(32 - bits)
    .i32x4Shl()
    .v128Or();
};

/** x >>> a ^ x >>> b ^ (c < 0 ? x >>> -c (a shift) : x >>> c (a rotation)); the four sigma functions. */
const sigma = (code: Code, local: number, a: number, b: number, c: number): void => {
  rotr(code, local, a);
  rotr(code, local, b);
  code.v128Xor();
  if (c < 0) code.get(local).i32(-c).i32x4ShrU();
  else rotr(code, local, c);
  code.v128Xor();
};

/** Sets the state to SHA-256's initial value. */
const initialState = (code: Code, l: Layout): void => {
  IV.forEach((word, i) => code.splatConst(word).set(l.v128(STATE[i]!)));
};

/**
 * One compression of the block whose 16 words are in w0..w15, in every lane; lanes whose bit in `mask` is clear keep
 * their state (they have no block left). The 64 rounds are unrolled with the working variables renamed each round.
 */
const compress = (code: Code, l: Layout): void => {
  const w = (t: number): number => l.v128(WORDS[t % 16]!);
  for (let i = 0; i < 8; i++) code.get(l.v128(STATE[i]!)).set(l.v128(WORK[i]!));
  let names = WORK.map((local) => l.v128(local));
  const t1 = l.v128('t1');
  const t2 = l.v128('t2');
  for (let t = 0; t < 64; t++) {
    const [a, b, c, d, e, f, g, h] = names as [number, number, number, number, number, number, number, number];
    if (t >= 16) {
      // W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], in place of W[t-16].
      sigma(code, w(t - 2), 17, 19, -10);
      code.get(w(t - 7)).i32x4Add();
      sigma(code, w(t - 15), 7, 18, -3);
      code
        .i32x4Add()
        .get(w(t - 16))
        .i32x4Add()
        .set(w(t));
    }
    // T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t]; Ch is a bit select of f and g by e.
    code.get(h);
    sigma(code, e, 6, 11, 25);
    code.i32x4Add().get(f).get(g).get(e).bitselect().i32x4Add().splatConst(K[t]!).i32x4Add().get(w(t)).i32x4Add();
    code.set(t1);
    // T2 = Σ0(a) + Maj(a, b, c); Maj is b where a and c differ, else c.
    sigma(code, a, 2, 13, 22);
    code.get(b).get(c).get(a).get(c).v128Xor().bitselect().i32x4Add().set(t2);
    // e' = d + T1 (kept in d's local), a' = T1 + T2 (kept in h's local); the others move one place down.
    code.get(d).get(t1).i32x4Add().set(d);
    code.get(t1).get(t2).i32x4Add().set(h);
    names = [h, a, b, c, d, e, f, g];
  }
  const mask = l.v128('mask');
  for (let i = 0; i < 8; i++) {
    const state = l.v128(STATE[i]!);
    code.get(state).get(names[i]!).i32x4Add().get(state).get(mask).bitselect().set(state);
  }
};

/** w[word] = the big-endian word at each lane's address + offset. */
const loadWord = (code: Code, l: Layout, addresses: readonly string[], word: number, offset: number): void => {
  code.get(l.i32(addresses[0]!)).v128Load32Splat(offset);
  for (let lane = 1; lane < 4; lane++) code.get(l.i32(addresses[lane]!)).load(offset).i32x4ReplaceLane(lane);
  code.get(l.v128('tmp')).shuffle(BYTE_SWAP).set(l.v128(WORDS[word]!));
};

/** Writes the state as the four digests, each at its lane's output address. */
const storeDigests = (code: Code, l: Layout, outputs: readonly string[]): void => {
  const tmp = l.v128('tmp');
  for (let i = 0; i < 8; i++) {
    code.get(l.v128(STATE[i]!)).get(l.v128(STATE[i]!)).shuffle(BYTE_SWAP).set(tmp);
    for (let lane = 0; lane < 4; lane++)
      code
        .get(l.i32(outputs[lane]!))
        .get(tmp)
        .store32Lane(i * 4, lane);
  }
};

const LANES = [0, 1, 2, 3];

/**
 * leaves(starts, ends, count, out): for i < count, the 32 bytes at out + 32i become SHA-256(0x00 ‖ memory[s, e)),
 * with s and e the i32 at starts + 4i and ends + 4i. Full blocks are read in place (the byte before s stands in for
 * the 0x00 prefix and is masked off); each lane's last one or two blocks are padded in its scratch area.
 */
const leavesFunction = (): number[] => {
  const lane = (prefix: string): string[] => LANES.map((n) => `${prefix}${n}`);
  const starts = lane('start');
  const fulls = lane('full');
  const totals = lane('total');
  const addresses = lane('address');
  const outputs = lane('out');
  const l = layout(
    4,
    [...starts, ...fulls, ...totals, ...addresses, ...outputs, 'i', 'index', 'last', 'block', 'most', 'rest', 'tail'],
    V128_LOCALS,
  );
  const [startsPtr, endsPtr, count, out] = [0, 1, 2, 3];
  const code = new Code();
  code.block().get(count).eqz().brIf(0);
  code.get(count).i32(1).sub().set(l.i32('last'));
  code.i32(0).set(l.i32('i'));
  code.loop();
  {
    code.i32(0).set(l.i32('most'));
    code.v128Const([0, 0, 0, 0]).set(l.v128('blocks'));
    for (const n of LANES) {
      const start = l.i32(starts[n]!);
      const full = l.i32(fulls[n]!);
      const total = l.i32(totals[n]!);
      const index = l.i32('index');
      const rest = l.i32('rest');
      const tail = l.i32('tail');
      const scratch = SCRATCH + 128 * n;
      // index = min(i + n, count - 1): a short last group repeats the last message, whose digest it rewrites.
      code.get(l.i32('i')).i32(n).add().tee(index).get(l.i32('last')).get(index).get(l.i32('last')).ltU().select();
      code.set(index);
      code.get(startsPtr).get(index).i32(2).shl().add().load().set(start);
      code.get(out).get(index).i32(5).shl().add().set(l.i32(outputs[n]!));
      // total = length + 1 (the prefix); full blocks = total / 64; rest = total % 64 goes into the padded tail.
      code.get(endsPtr).get(index).i32(2).shl().add().load().get(start).sub().i32(1).add().set(total);
      code.get(total).i32(6).shrU().set(full);
      code.get(total).i32(63).and().set(rest);
      // The tail: rest bytes, 0x80, zeros, the length in bits; two blocks when fewer than 9 bytes are left in one.
      code.i32(scratch).i32(0).i32(128).memoryFill();
      code.get(full).eqz().if();
      // The whole message fits the tail: the prefix byte (zero) then the line.
      code
        .i32(scratch + 1)
        .get(start)
        .get(rest)
        .i32(1)
        .sub()
        .memoryCopy();
      code.else();
      code.i32(scratch).get(start).i32(1).sub().get(full).i32(6).shl().add().get(rest).memoryCopy();
      code.end();
      code.i32(scratch).get(rest).add().i32(0x80).store8();
      code.i32(1).i32(2).get(rest).i32(56).ltU().select().set(tail);
      // The length in bits, big-endian, in the tail's last 8 bytes (messages here are below 2^29 bytes).
      const lengthAt = (byte: number, shift: number): void => {
        code
          .i32(scratch + 64 - 8 + byte)
          .get(tail)
          .i32(6)
          .shl()
          .add()
          .i32(-64)
          .add();
        code.get(total).i32(3).shl().i32(shift).shrU().store8();
      };
      lengthAt(4, 24);
      lengthAt(5, 16);
      lengthAt(6, 8);
      lengthAt(7, 0);
      // most = max(most, this lane's blocks); tail now holds the lane's block count.
      code.get(full).get(tail).add().tee(tail).get(l.i32('most')).get(l.i32('most')).get(tail).ltU().select();
      code.set(l.i32('most'));
      code.get(l.v128('blocks')).get(tail).i32x4ReplaceLane(n).set(l.v128('blocks'));
    }
    initialState(code, l);
    code.i32(0).set(l.i32('block'));
    code.loop();
    {
      const block = l.i32('block');
      for (const n of LANES) {
        const full = l.i32(fulls[n]!);
        const scratch = SCRATCH + 128 * n;
        // A full block in place (from the byte before the line), else the padded tail, else (done) the scratch.
        code.get(l.i32(starts[n]!)).i32(1).sub().get(block).i32(6).shl().add();
        code.i32(scratch).get(block).get(full).sub().i32(6).shl().add();
        code.i32(scratch).get(block).get(full).sub().i32(2).ltU().select();
        code.get(block).get(full).ltU().select().set(l.i32(addresses[n]!));
      }
      for (let word = 0; word < 16; word++) loadWord(code, l, addresses, word, word * 4);
      // The first block's first byte is the prefix 0x00, not the byte before the line.
      code.get(block).eqz().if();
      code.get(l.v128(WORDS[0]!)).splatConst(0x00ffffff).v128And().set(l.v128(WORDS[0]!));
      code.end();
      code.get(l.v128('blocks')).get(block).i32x4Splat().i32x4GtS().set(l.v128('mask'));
      compress(code, l);
      code.get(block).i32(1).add().tee(block).get(l.i32('most')).ltU().brIf(0);
    }
    code.end();
    storeDigests(code, l, outputs);
    code.get(l.i32('i')).i32(4).add().tee(l.i32('i')).get(count).ltU().brIf(0);
  }
  code.end();
  code.end();
  return [...l.declarations, ...code.bytes, 0x0b];
};

/**
 * nodes(input, count, out): for j < count, the 32 bytes at out + 32j become SHA-256(0x01 ‖ memory[input + 64j, +64)):
 * the interior node over two child hashes. Two blocks: the prefix and 63 bytes, then the last byte and the padding.
 */
const nodesFunction = (): number[] => {
  const bases = LANES.map((n) => `base${n}`);
  const outputs = LANES.map((n) => `out${n}`);
  const l = layout(4, [...bases, ...outputs, 'j', 'index', 'last'], V128_LOCALS);
  const [input, count, out] = [0, 1, 2];
  const code = new Code();
  code.block().get(count).eqz().brIf(0);
  code.get(count).i32(1).sub().set(l.i32('last'));
  code.i32(0).set(l.i32('j'));
  code.splatConst(-1).set(l.v128('mask'));
  code.loop();
  {
    for (const n of LANES) {
      const index = l.i32('index');
      code.get(l.i32('j')).i32(n).add().tee(index).get(l.i32('last')).get(index).get(l.i32('last')).ltU().select();
      code.set(index);
      // base = the byte before the pair, which stands in for the prefix.
      code.get(input).get(index).i32(6).shl().add().i32(1).sub().set(l.i32(bases[n]!));
      code.get(out).get(index).i32(5).shl().add().set(l.i32(outputs[n]!));
    }
    initialState(code, l);
    for (let word = 0; word < 16; word++) loadWord(code, l, bases, word, word * 4);
    code.get(l.v128(WORDS[0]!)).splatConst(0x00ffffff).v128And().splatConst(0x01000000).v128Or();
    code.set(l.v128(WORDS[0]!));
    compress(code, l);
    // Second block: the pair's last byte, 0x80, zeros, and the length: 65 bytes = 520 bits.
    loadWord(code, l, bases, 0, 64);
    code.get(l.v128(WORDS[0]!)).splatConst(0xff000000).v128And().splatConst(0x00800000).v128Or();
    code.set(l.v128(WORDS[0]!));
    for (let word = 1; word < 15; word++) code.splatConst(0).set(l.v128(WORDS[word]!));
    code.splatConst(520).set(l.v128(WORDS[15]!));
    compress(code, l);
    storeDigests(code, l, outputs);
    code.get(l.i32('j')).i32(4).add().tee(l.i32('j')).get(count).ltU().brIf(0);
  }
  code.end();
  code.end();
  return [...l.declarations, ...code.bytes, 0x0b];
};

/** The module: one memory (exported, grown by the caller) and the two functions. */
export const sha256SimdModuleBytes = (): Uint8Array => {
  const types = section(1, vector([[0x60, ...vector([[I32], [I32], [I32], [I32]]), ...vector([])]]));
  const functions = section(3, vector([[0], [0]]));
  const memory = section(5, vector([[0x00, ...unsignedLeb(1)]]));
  const exports = section(
    7,
    vector([
      [...name('memory'), 0x02, 0],
      [...name('leaves'), 0x00, 0],
      [...name('nodes'), 0x00, 1],
    ]),
  );
  const bodies = [leavesFunction(), nodesFunction()].map((body) => [...unsignedLeb(body.length), ...body]);
  const code = section(10, vector(bodies));
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...types,
    ...functions,
    ...memory,
    ...exports,
    ...code,
  ]);
};
