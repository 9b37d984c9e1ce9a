import fc from 'fast-check';

/**
 * Property tests draw the same values on every run, so a suite that passed passes again and a
 * failure on CI can be replayed here. To explore fresh values, run with FERRY_FC_SEED=random
 * (or a number, to replay the seed a failure printed) and fix what it finds, with a plain test.
 */
const chosen = process.env.FERRY_FC_SEED;
if (chosen !== 'random') {
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: chosen === undefined ? 20261203 : Number(chosen) });
}
