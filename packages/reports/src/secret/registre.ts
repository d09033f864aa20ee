/**
 * The secrecy registry of the bilan's count tables is core's (`RegistreSecret`, core/src/indicators/secret-registre.ts),
 * the one the API's demand side uses too (secret-demande.ts): re-exported here for the bilan's modules and tests.
 */
export { RegistreSecret } from '@mixite/core';
