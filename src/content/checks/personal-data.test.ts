import { describe, expect, it } from 'vitest';
import { loadBundledPack } from '../../policy/pack.loader.js';
import { checkDraft, type Finding } from './index.js';

const kalispell = loadBundledPack('kalispell-mt');
const bozeman = loadBundledPack('bozeman-mt');
const redLodge = loadBundledPack('red-lodge-mt');

function personal(text: string, pack = kalispell): Finding[] {
  return checkDraft(pack, { text }).filter((f) => f.id.startsWith('personal-data.'));
}

function only(text: string, pack = kalispell): Pick<Finding, 'id' | 'severity' | 'excerpt'>[] {
  return personal(text, pack).map(({ id, severity, excerpt }) => ({ id, severity, excerpt }));
}

describe('personal data in a draft', () => {
  it.each([
    ['Owner SSN 123-45-6789', '123-45-6789'],
    ['social security number: 123 45 6789', '123 45 6789'],
    ['SSN 123456789 on file', '123456789'],
  ])('blocks a Social Security number: %s', (text, excerpt) => {
    expect(only(text)).toEqual([{ id: 'personal-data.ssn', severity: 'block', excerpt }]);
  });

  it.each([
    ['Suspect DOB: 03/04/1985', 'DOB: 03/04/1985'],
    ['date of birth March 4, 1985', 'date of birth March 4, 1985'],
    ['The child was born on 4 June 2019 at the hospital', 'born on 4 June 2019'],
  ])('blocks a date of birth: %s', (text, excerpt) => {
    expect(only(text)).toEqual([{ id: 'personal-data.date-of-birth', severity: 'block', excerpt }]);
  });

  it.each([
    ['See Case No. 24-CR-0012 for details.', 'Case No. 24-CR-0012'],
    ['Reference case #2024-00123 when you call.', 'case #2024-00123'],
    ['Police report 2024-00456 was filed Monday.', 'Police report 2024-00456'],
    ['Filed in district court as DC-24-123.', 'DC-24-123'],
  ])('blocks a case or police report number: %s', (text, excerpt) => {
    expect(only(text)).toEqual([{ id: 'personal-data.case-number', severity: 'block', excerpt }]);
  });

  it('asks the approver about a phone number that is not the city’s', () => {
    expect(only('Questions? Call Jane at (406) 555-0134.')).toEqual([
      { id: 'personal-data.phone', severity: 'acknowledge', excerpt: '(406) 555-0134' },
    ]);
  });

  it('asks the approver about an e-mail address that is not a city address', () => {
    expect(only('Send photos to jane.doe@gmail.com by Friday.')).toEqual([
      { id: 'personal-data.email', severity: 'acknowledge', excerpt: 'jane.doe@gmail.com' },
    ]);
  });

  it('asks the approver about a street address', () => {
    expect(only('The dog was found near 412 Oak Street and is at the shelter.')).toEqual([
      { id: 'personal-data.home-address', severity: 'acknowledge', excerpt: '412 Oak Street' },
    ]);
    expect(only('Meet at 1120 N 7th Ave. W today')[0]?.excerpt).toBe('1120 N 7th Ave. W');
  });

  it('does not flag the city’s own phone numbers, e-mail addresses and website', () => {
    expect(personal('Call the City Clerk at (406) 758-7756 or e-mail cityclerk@kalispell.com.')).toEqual([]);
    expect(personal('Questions: it@bozeman.net or www.bozeman.net/contact', bozeman)).toEqual([]);
  });

  it('does not flag ordinary civic numbers: blocks, ordinances, highways, dates, URLs, toll-free lines', () => {
    const text = [
      'Police responded to the 100 block of Main Street.',
      'Resolution No. 5716 and Ordinance 1234 were adopted on 04/20/2015.',
      'Lanes on Highway 93 close at 7 pm; detour via US-2.',
      'Crisis line: 1-800-273-8255. Permit form: https://www.kalispell.com/forms/2024-00123',
      'Born in 1901, the Carnegie library turns 120.',
      'Council meets at City Hall, 201 1st Avenue East, at 7 pm.',
    ].join(' ');
    expect(personal(text)).toEqual([]);
  });

  it('names the offending text, its position and the clause in each finding', () => {
    const text = 'Lost: wallet. Owner John Smith, DOB 1/2/1990.';
    const [dob] = personal(text, bozeman);
    expect(dob?.range && text.slice(...dob.range)).toBe('DOB 1/2/1990');
    expect(dob?.sources).toEqual(['BZ-12']);
    expect(dob?.clause).toContain('Never use personally identifiable or private information');
  });

  it('still blocks an SSN where the city’s policy has no privacy clause, and says so', () => {
    const [ssn] = personal('SSN 123-45-6789', redLodge);
    expect(ssn).toMatchObject({ id: 'personal-data.ssn', severity: 'block', sources: [] });
    expect(ssn?.clause).toBeUndefined();
    expect(ssn?.message).toContain('no clause');
  });
});
