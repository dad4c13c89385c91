import { allByteValues, expectBytes, pseudoRandomBytes } from '../assertions.js';
import type { ContractGroup } from './contract-case.js';

/** Arbitrary bytes, including 0x00 and bytes that are not UTF-8. */
export const binaryValuesGroup: ContractGroup = {
  title: 'binary values',
  capability: 'binaryValues',
  cases: [
    {
      title: 'all 256 byte values round-trip unchanged',
      async run(ks) {
        const value = allByteValues();
        await ks.create('all-bytes', value);
        expectBytes(await ks.get('all-bytes'), value);
      },
    },
    {
      title: 'single-byte values round-trip (0x00, 0xff, 0x0a)',
      async run(ks) {
        for (const byte of [0x00, 0xff, 0x0a]) {
          const name = `one-byte-${byte}`;
          await ks.create(name, Uint8Array.of(byte));
          expectBytes(await ks.get(name), Uint8Array.of(byte), name);
        }
      },
    },
  ],
};

/** Values far larger than a stored key (which is ~100-200 bytes). */
export const largeValuesGroup: ContractGroup = {
  title: 'large values',
  capability: 'largeValues',
  cases: [
    {
      title: 'a 64 KiB value round-trips unchanged',
      async run(ks) {
        const value = pseudoRandomBytes(64 * 1024);
        await ks.create('large', value);
        expectBytes(await ks.get('large'), value);
      },
    },
  ],
};
