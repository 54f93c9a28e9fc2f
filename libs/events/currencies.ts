/**
 * The ISO 4217 currency codes this runtime knows (ICU's list, as Intl.NumberFormat formats them): what
 * `metadata.currency`, DAY15_BASE_CURRENCY and DAY15_FX_RATES accept. Taken from the runtime rather than
 * written out, so the list and the dashboard's formatting never disagree.
 */
export const currencyCodes: readonly string[] = Intl.supportedValuesOf('currency');
