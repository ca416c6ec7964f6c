// Adding one lead by hand (leads.add): the fields a field rep knows, the routing outcome per product in plain words,
// and the service's validation errors shown beside the field they name (decision 0099).
import { useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { QUEUE_LABEL, humanise } from '../../app/labels.ts';

type Added = ApiResponse<'leads.add'>;
type Decision = Added['decisions'][number];
type Names = {
  readonly products: Map<string, string>;
  readonly teams: Map<string, string>;
  readonly entities: Map<string, string>;
};

const CUSTOMER_TYPES = [
  ['professional', 'Professional'],
  ['retail', 'Retail'],
  ['eligible_counterparty', 'Eligible counterparty'],
  ['unknown', 'Not known yet'],
] as const;
const KYC = [
  ['not_started', 'Not started'],
  ['pending', 'Pending'],
  ['verified', 'Verified'],
  ['failed', 'Failed'],
] as const;
const AML = [
  ['missing', 'Missing'],
  ['partial', 'Partial'],
  ['complete', 'Complete'],
] as const;

type Draft = {
  id: string;
  customerType: string;
  companyName: string;
  personName: string;
  line1: string;
  city: string;
  postalCode: string;
  country: string;
  subdivision: string;
  targetMarket: string;
  products: string[];
  productsText: string;
  kycStatus: string;
  amlDocumentation: string;
  suitabilityAssessed: boolean;
  screened: boolean;
  screenedOn: string;
};

const emptyDraft: Draft = {
  id: '',
  customerType: '',
  companyName: '',
  personName: '',
  line1: '',
  city: '',
  postalCode: '',
  country: '',
  subdivision: '',
  targetMarket: '',
  products: [],
  productsText: '',
  kycStatus: 'not_started',
  amlDocumentation: 'missing',
  suitabilityAssessed: false,
  screened: false,
  screenedOn: '',
};

/** The field (input id) each lead path is shown beside; paths not listed go to the form's summary. */
const FIELD_OF_PATH: Readonly<Record<string, string>> = {
  id: 'lead-id',
  customerType: 'lead-customer-type',
  person: 'lead-person-name',
  'person.fullName': 'lead-person-name',
  'company.name': 'lead-company-name',
  'address.line1': 'lead-line1',
  'address.city': 'lead-city',
  'address.postalCode': 'lead-postal-code',
  'address.country': 'lead-country',
  'address.subdivision': 'lead-subdivision',
  targetMarket: 'lead-target-market',
  productInterests: 'lead-products',
  kycStatus: 'lead-kyc',
  amlDocumentation: 'lead-aml',
  'screening.screenedAt': 'lead-screened-on',
};

const text = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());

/** The lead record for leads.add: only what was filled in, so the service's defaults and checks apply. */
const leadOf = (draft: Draft, productChoices: boolean): Record<string, unknown> => {
  const address = {
    line1: text(draft.line1),
    city: text(draft.city),
    postalCode: text(draft.postalCode),
    subdivision: text(draft.subdivision),
    country: text(draft.country) ?? '',
  };
  const anyAddress = Object.values(address).some((value) => value !== undefined && value !== '');
  const products = productChoices
    ? draft.products
    : draft.productsText
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
  const lead = {
    id: draft.id.trim(),
    customerType: draft.customerType,
    company: text(draft.companyName) === undefined ? undefined : { name: draft.companyName.trim() },
    person: text(draft.personName) === undefined ? undefined : { fullName: draft.personName.trim() },
    address: anyAddress ? address : undefined,
    targetMarket: text(draft.targetMarket),
    kycStatus: draft.kycStatus,
    amlDocumentation: draft.amlDocumentation,
    suitabilityAssessed: draft.suitabilityAssessed,
    screening: draft.screened ? { screenedAt: `${draft.screenedOn}T00:00:00Z`, hits: [] } : undefined,
    productInterests: products,
  };
  return JSON.parse(JSON.stringify(lead)) as Record<string, unknown>;
};

/** "address.country: message; person: message" (describeIssues) → field id → messages. */
const fieldErrorsOf = (message: string): { fields: Record<string, string>; other: string[] } => {
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const part of message.split('; ')) {
    const colon = part.indexOf(': ');
    const path = colon === -1 ? '' : part.slice(0, colon);
    const field = FIELD_OF_PATH[path] ?? FIELD_OF_PATH[path.split('.')[0] ?? ''];
    if (field === undefined) other.push(part);
    else fields[field] = fields[field] ? `${fields[field]}; ${part.slice(colon + 2)}` : part.slice(colon + 2);
  }
  return { fields, other };
};

const nameOf = (names: Map<string, string>, id: string | null): string =>
  id === null ? '—' : names.has(id) ? `${names.get(id)} (${id})` : id;

/** One routing decision in plain words. */
export const outcomeWords = (decision: Decision, names: Names): string => {
  switch (decision.outcome) {
    case 'assigned':
      return `Assigned to ${decision.repId ?? '—'} in ${nameOf(names.teams, decision.teamId)}, ${nameOf(names.entities, decision.entityId)}.`;
    case 'refused':
      return `Refused: sent to ${decision.queue ? QUEUE_LABEL[decision.queue] : 'review'} because of ${humanise(decision.reason ?? 'unknown').toLowerCase()}${decision.caseId ? ` (case ${decision.caseId})` : ''}.`;
    case 'held':
      return `Held with ${nameOf(names.teams, decision.teamId)}, ${nameOf(names.entities, decision.entityId)} until ${humanise(decision.reason ?? '').toLowerCase()} is resolved${decision.caseId ? ` (case ${decision.caseId})` : ''}.`;
    case 'waiting_for_capacity':
      return `Waiting for capacity in ${nameOf(names.teams, decision.teamId)}.`;
  }
};

export const AddLeadForm = ({ onAdded }: { onAdded: () => void }): ReactElement => {
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [names, setNames] = useState<Names | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<string | null>(null);
  const [added, setAdded] = useState<Added | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  // The active policy's products when this user may read the licensing map; otherwise product ids are typed.
  useEffect(() => {
    let live = true;
    void call('policy.current', {}).then((reply) => {
      if (!live || !reply.ok) return;
      const { map } = reply.value;
      setNames({
        products: new Map(map.products.map((product) => [product.id, product.name])),
        teams: new Map(map.teams.map((team) => [team.id, team.name])),
        entities: new Map(map.entities.map((entity) => [entity.id, entity.name])),
      });
    });
    return () => {
      live = false;
    };
  }, []);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => setDraft({ ...draft, [key]: value });
  const productChoices = names !== null && names.products.size > 0;
  const known: Names = names ?? { products: new Map(), teams: new Map(), entities: new Map() };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setSummary(null);
    setAdded(null);
    const reply = await call('leads.add', { lead: leadOf(draft, productChoices), sourceSystem: 'form' });
    setBusy(false);
    if (reply.ok) {
      setAdded(reply.value);
      setDraft(emptyDraft);
      onAdded();
      return;
    }
    const { code, message } = reply.error;
    const found =
      code === 'invalid_input'
        ? fieldErrorsOf(message)
        : code === 'conflict'
          ? { fields: { 'lead-id': 'a lead with this reference exists already' }, other: [] }
          : { fields: {}, other: [message] };
    setErrors(found.fields);
    setSummary(
      [
        Object.keys(found.fields).length > 0 ? 'The lead was not added: correct the fields marked below.' : '',
        ...found.other,
      ]
        .filter((line) => line !== '')
        .join(' '),
    );
    const first = Object.keys(FIELD_OF_PATH)
      .map((path) => FIELD_OF_PATH[path])
      .find((id) => id !== undefined && found.fields[id] !== undefined);
    if (first !== undefined) formRef.current?.querySelector<HTMLElement>(`#${first}`)?.focus();
  };

  /** Label, control and the error beside it, tied together for screen readers. */
  const field = (id: string, label: string, control: (props: FieldProps) => ReactElement, hint?: string) => {
    const error = errors[id];
    const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter((part) => part !== '').join(' ');
    return (
      <div className={`lead-field${error ? ' invalid' : ''}`}>
        <label htmlFor={id}>{label}</label>
        {control({
          id,
          'aria-invalid': error ? true : undefined,
          'aria-describedby': described === '' ? undefined : described,
        })}
        {hint && (
          <span id={`${id}-hint`} className="hint">
            {hint}
          </span>
        )}
        {error && (
          <span id={`${id}-error`} className="field-error">
            {error}
          </span>
        )}
      </div>
    );
  };
  const input = (key: keyof Draft, extra: Record<string, unknown> = {}) =>
    function Input(props: FieldProps): ReactElement {
      return (
        <input {...props} {...extra} value={draft[key] as string} onChange={(event) => set(key, event.target.value)} />
      );
    };
  const select = (key: keyof Draft, options: readonly (readonly [string, string])[], blank?: string) =>
    function Select(props: FieldProps): ReactElement {
      return (
        <select {...props} value={draft[key] as string} onChange={(event) => set(key, event.target.value)}>
          {blank !== undefined && <option value="">{blank}</option>}
          {options.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      );
    };

  return (
    <section aria-labelledby="add-lead-title" className="add-lead">
      <h2 id="add-lead-title">Add a lead by hand</h2>
      <form ref={formRef} className="lead-form" noValidate onSubmit={(event) => void submit(event)}>
        <fieldset>
          <legend>Lead</legend>
          {field('lead-id', 'Lead reference', input('id'), 'Your CRM or visit reference, unique for every lead.')}
          {field('lead-customer-type', 'Customer type', select('customerType', CUSTOMER_TYPES, 'Choose…'))}
          {field('lead-company-name', 'Company name', input('companyName'), 'A company name, a person’s name or both.')}
          {field('lead-person-name', 'Contact person (full name)', input('personName'))}
        </fieldset>
        <fieldset>
          <legend>Address</legend>
          {field('lead-line1', 'Street and number', input('line1'))}
          {field('lead-city', 'City', input('city'))}
          {field('lead-postal-code', 'Postal code', input('postalCode'))}
          {field(
            'lead-country',
            'Country code',
            input('country', { autoComplete: 'country' }),
            'Two letters: GB, FR, US, CH…',
          )}
          {field(
            'lead-subdivision',
            'State or region',
            input('subdivision'),
            'Needed where licences are per state, e.g. CA for California in the US.',
          )}
          {field(
            'lead-target-market',
            'Target market (optional)',
            input('targetMarket'),
            'The market the prospect wants to be served in, if they said, e.g. UK or EU-Passported.',
          )}
        </fieldset>
        {productChoices ? (
          <fieldset
            id="lead-products"
            tabIndex={-1}
            aria-invalid={errors['lead-products'] ? true : undefined}
            aria-describedby={errors['lead-products'] ? 'lead-products-error' : undefined}
            className={errors['lead-products'] ? 'invalid' : undefined}
          >
            <legend>Products of interest</legend>
            {[...known.products].map(([id, name]) => (
              <label key={id} className="choice">
                <input
                  type="checkbox"
                  checked={draft.products.includes(id)}
                  onChange={(event) =>
                    set(
                      'products',
                      event.target.checked ? [...draft.products, id] : draft.products.filter((item) => item !== id),
                    )
                  }
                />
                {name}
              </label>
            ))}
            {errors['lead-products'] && (
              <span id="lead-products-error" className="field-error">
                {errors['lead-products']}
              </span>
            )}
          </fieldset>
        ) : (
          <fieldset>
            <legend>Products of interest</legend>
            {field(
              'lead-products',
              'Product ids',
              input('productsText'),
              'Separated by commas, e.g. business-payments, corporate-cards.',
            )}
          </fieldset>
        )}
        <fieldset>
          <legend>Checks</legend>
          {field('lead-kyc', 'KYC status', select('kycStatus', KYC))}
          {field('lead-aml', 'AML documentation', select('amlDocumentation', AML))}
          <label className="choice">
            <input
              type="checkbox"
              checked={draft.suitabilityAssessed}
              onChange={(event) => set('suitabilityAssessed', event.target.checked)}
            />
            A suitability assessment is on record
          </label>
          <label className="choice">
            <input
              type="checkbox"
              checked={draft.screened}
              onChange={(event) => set('screened', event.target.checked)}
            />
            Screened against sanctions, PEP and adverse-media lists with no hits
          </label>
          {draft.screened && field('lead-screened-on', 'Screened on', input('screenedOn', { type: 'date' }))}
        </fieldset>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add lead'}
        </button>
      </form>
      <div className="add-lead-outcome">
        {summary && (
          <p role="alert" className="error">
            {summary}
          </p>
        )}
        {added && (
          <section aria-labelledby="added-title" className="added-lead" role="status">
            <h3 id="added-title">
              Lead {added.leadId} added (your id {added.sourceId})
            </h3>
            <table className="data">
              <caption>Routing outcome per product</caption>
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {added.decisions.map((decision) => (
                  <tr key={decision.productId} data-product={decision.productId} data-outcome={decision.outcome}>
                    <td>{known.products.get(decision.productId) ?? decision.productId}</td>
                    <td>{outcomeWords(decision, known)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </div>
    </section>
  );
};

type FieldProps = {
  readonly id: string;
  readonly 'aria-invalid': true | undefined;
  readonly 'aria-describedby': string | undefined;
};
