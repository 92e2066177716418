import { parse, Tags } from 'yaml';
import { validationError } from './errors';
import { TemplateDocument } from './model';

/** CloudFormation's short-form intrinsic functions in YAML (`!Ref x` is `{ Ref: x }`). */
const FUNCTIONS = ['Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform',
  'And', 'Equals', 'If', 'Not', 'Or', 'ToJsonString', 'Length'];

function shortForms(): Tags {
  const tags: Tags = [];
  const add = (tag: string, toValue: (v: unknown) => unknown) => {
    tags.push({ tag: `!${tag}`, resolve: (v: string) => toValue(v) });
    tags.push({ tag: `!${tag}`, collection: 'seq', resolve: (v: any) => toValue(v.toJSON()) } as any);
    tags.push({ tag: `!${tag}`, collection: 'map', resolve: (v: any) => toValue(v.toJSON()) } as any);
  };
  add('Ref', (v) => ({ Ref: v }));
  add('Condition', (v) => ({ Condition: v }));
  add('GetAtt', (v) => ({ 'Fn::GetAtt': typeof v === 'string' ? [v.slice(0, v.indexOf('.')), v.slice(v.indexOf('.') + 1)] : v }));
  for (const f of FUNCTIONS) add(f, (v) => ({ [`Fn::${f}`]: v }));
  return tags;
}

const TAGS = shortForms();

/** A template in JSON or YAML (with CloudFormation's short-form tags), checked as CloudFormation checks its shape. */
export function parseTemplate(body: string): TemplateDocument {
  let t: unknown;
  try {
    t = /^\s*\{/.test(body) ? JSON.parse(body) : parse(body, { customTags: TAGS, maxAliasCount: 100, uniqueKeys: true });
  } catch (e) {
    throw validationError(`Template format error: ${/^\s*\{/.test(body) ? 'JSON' : 'YAML'} not well-formed. (${(e as Error).message.split('\n')[0]})`);
  }
  if (!t || typeof t !== 'object' || Array.isArray(t)) throw validationError('Template format error: JSON not well-formed.');
  const resources = (t as TemplateDocument).Resources;
  if (!resources || typeof resources !== 'object' || Array.isArray(resources) || Object.keys(resources).length === 0) {
    throw validationError('Template format error: At least one Resources member must be defined.');
  }
  for (const [id, r] of Object.entries(resources)) {
    if (!/^[a-zA-Z0-9]{1,255}$/.test(id)) throw validationError(`Template format error: Resource name ${id} is non alphanumeric.`);
    if (!r || typeof r !== 'object' || typeof (r as any).Type !== 'string') {
      throw validationError(`Template format error: [/Resources/${id}] Every Resources object must contain a Type member.`);
    }
  }
  return t as TemplateDocument;
}
