// Jurisdiction tagging: address, KYC pre-screen and stated intent, each kept as evidence, resolved by the policy.
import { isCountryCode, isSubdivisionCode } from '../policy/vocabulary.ts';
import type { CompiledPolicy } from './compile.ts';
import type { Address, Lead } from './lead.ts';
import type { JurisdictionEvidence, TaggingTrace } from './trace.ts';

const wordsOf = (text: string): string => ` ${text.toUpperCase().replace(/[^\p{L}\p{N}]+/gu, ' ')} `;

/** The most specific code an address supports: a custom zone named in it, its subdivision, or its country. */
const resolveAddress = (address: Address, policy: CompiledPolicy): JurisdictionEvidence => {
  const value = [address.line1, address.line2, address.city, address.subdivision, address.postalCode, address.country]
    .filter((part) => part !== undefined)
    .join(', ');
  const country = address.country;
  if (!isCountryCode(country))
    return { source: 'address', value, resolvedTo: null, note: `country "${country}" is not ISO 3166-1` };
  const zones = policy.zonesByCountry.get(country) ?? [];
  const text =
    zones.length === 0
      ? ''
      : wordsOf([address.line1, address.line2, address.city].filter((part) => part !== undefined).join(' '));
  for (const zone of zones) {
    const marker = zone.addressMarkers.find((candidate) => text.includes(wordsOf(candidate)));
    if (marker !== undefined)
      return {
        source: 'address',
        value,
        resolvedTo: zone.code,
        note: `address names "${marker}", a marker of ${zone.name}`,
      };
  }
  if (address.subdivision !== undefined) {
    const raw = address.subdivision.toUpperCase();
    const code = raw.includes('-') ? raw : `${country}-${raw}`;
    if (!code.startsWith(`${country}-`) || !isSubdivisionCode(code))
      return {
        source: 'address',
        value,
        resolvedTo: null,
        note: `subdivision "${address.subdivision}" is not an ISO 3166-2 subdivision of ${country}`,
      };
    return { source: 'address', value, resolvedTo: code, note: `country ${country}, subdivision ${code}` };
  }
  return { source: 'address', value, resolvedTo: country, note: `country ${country}` };
};

const resolveKyc = (code: string, policy: CompiledPolicy): JurisdictionEvidence => {
  const kind = policy.vocabulary.kindOf(code);
  if (kind === 'country' || kind === 'subdivision' || kind === 'zone')
    return { source: 'kyc_prescreen', value: code, resolvedTo: code, note: `KYC pre-screen returned ${kind} ${code}` };
  return {
    source: 'kyc_prescreen',
    value: code,
    resolvedTo: null,
    note: `"${code}" is not a jurisdiction code this policy knows`,
  };
};

/**
 * Whether one piece of location evidence is a more precise statement of the other: geography (a DIFC KYC result
 * refines a country-level AE address), never coverage, which `isInside` alone decides (decision 0110).
 */
const contains = (outer: string, inner: string, policy: CompiledPolicy): boolean =>
  policy.vocabulary.locatesWithin(inner, outer);

const result = (
  status: TaggingTrace['status'],
  jurisdiction: string | null,
  evidence: JurisdictionEvidence[],
  resolution: string,
  policy: CompiledPolicy,
): TaggingTrace => ({
  status,
  jurisdiction,
  markets: jurisdiction === null ? [] : policy.vocabulary.marketsOf(jurisdiction),
  evidence,
  resolution,
});

export const tagJurisdiction = (lead: Lead, policy: CompiledPolicy): TaggingTrace => {
  const evidence: JurisdictionEvidence[] = [];
  const fromAddress = lead.address ? resolveAddress(lead.address, policy) : undefined;
  const fromKyc = lead.kycPrescreenJurisdiction ? resolveKyc(lead.kycPrescreenJurisdiction, policy) : undefined;
  if (fromAddress) evidence.push(fromAddress);
  if (fromKyc) evidence.push(fromKyc);

  let intentCodes: ReadonlySet<string> | undefined;
  if (lead.targetMarket !== undefined) {
    intentCodes = policy.vocabulary.expand(lead.targetMarket);
    evidence.push({
      source: 'stated_intent',
      value: lead.targetMarket,
      resolvedTo: intentCodes ? [...intentCodes] : null,
      note: intentCodes
        ? `stated target market ${lead.targetMarket}`
        : `target market "${lead.targetMarket}" is not in the policy's vocabulary`,
    });
  }

  const unresolved = [fromAddress, fromKyc].find((item) => item !== undefined && item.resolvedTo === null);
  if (unresolved)
    return result(
      'unknown',
      null,
      evidence,
      `${unresolved.source} evidence could not be resolved: ${unresolved.note}`,
      policy,
    );

  const addressCode = fromAddress?.resolvedTo as string | undefined;
  const kycCode = fromKyc?.resolvedTo as string | undefined;
  let tag: string;
  let resolution: string;
  if (addressCode === undefined && kycCode === undefined) {
    return result(
      'missing',
      null,
      evidence,
      'neither an address nor a KYC pre-screen jurisdiction: stated intent alone cannot tag a lead',
      policy,
    );
  } else if (addressCode !== undefined && kycCode !== undefined) {
    if (contains(addressCode, kycCode, policy)) {
      tag = kycCode;
      resolution =
        addressCode === kycCode
          ? `address and KYC agree on ${tag}`
          : `KYC ${kycCode} is more specific than address ${addressCode}`;
    } else if (contains(kycCode, addressCode, policy)) {
      tag = addressCode;
      resolution = `address ${addressCode} is more specific than KYC ${kycCode}`;
    } else if (policy.policy.tagging.conflict === 'prefer_address') {
      tag = addressCode;
      resolution = `address ${addressCode} and KYC ${kycCode} conflict; the policy prefers the address`;
    } else if (policy.policy.tagging.conflict === 'prefer_kyc') {
      tag = kycCode;
      resolution = `address ${addressCode} and KYC ${kycCode} conflict; the policy prefers the KYC pre-screen`;
    } else {
      return result(
        'conflict',
        null,
        evidence,
        `address ${addressCode} and KYC ${kycCode} conflict and the policy resolves no conflict`,
        policy,
      );
    }
  } else {
    tag = (addressCode ?? kycCode) as string;
    resolution = addressCode !== undefined ? `address only: ${tag}` : `KYC pre-screen only: ${tag}`;
  }

  if (policy.requireSubdivision.has(tag))
    return result(
      'incomplete',
      null,
      evidence,
      `${tag} is licensed per subdivision and no subdivision is known`,
      policy,
    );

  if (lead.targetMarket !== undefined && policy.policy.tagging.statedIntent === 'must_agree') {
    const agrees = intentCodes !== undefined && policy.vocabulary.within(tag, lead.targetMarket);
    if (!agrees)
      return result(
        'intent_conflict',
        null,
        evidence,
        intentCodes === undefined
          ? `stated target market "${lead.targetMarket}" is unknown and the policy requires intent to agree`
          : `tagged ${tag} is outside the stated target market ${lead.targetMarket}`,
        policy,
      );
    resolution += `; stated market ${lead.targetMarket} agrees`;
  }
  return result('tagged', tag, evidence, resolution, policy);
};
