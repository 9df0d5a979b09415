import { describe, expect, it } from 'vitest';
import { detectCampaign } from './campaign.js';

describe('detectCampaign: advocacy is found', () => {
  it.each([
    ['Vote for Jane Smith on November 5!', 'Vote for Jane Smith'],
    ['Please vote yes on the parks levy.', 'vote yes on the parks levy'],
    ['Vote NO on 2B', 'Vote NO on 2B'],
    ['Re-elect Mayor Johnson', 'Re-elect Mayor Johnson'],
    ['Elect Maria Lopez, a voice for Ward 3', 'Elect Maria Lopez'],
    ['Yes on Measure A!', 'Yes on Measure A'],
    ['Smith for Mayor!', 'Smith for Mayor'],
    ['Vote Smith for City Council', 'Vote Smith for City Council'],
    ['We endorse Tom Baker for city commission.', 'endorse Tom Baker for city commission'],
    ['Help us defeat the mill levy this fall', 'defeat the mill levy'],
    ['Donate to the Friends of Kelly PAC today', 'Donate to the Friends of Kelly PAC today'],
    ['Chip in $5 to keep the candidate on the air', 'Chip in $5 to keep the candidate on the air'],
    ['Paid for by Citizens for Better Roads', 'Paid for by Citizens for Better Roads'],
    ['Vote them all out in November', 'Vote them all out'],
    ["I'm voting no on the library bond, and so should you", 'voting no on the library bond'],
    ['Great turnout today #VoteYesOn2B', '#VoteYesOn2B'],
    ['#ReElectSmith', '#ReElectSmith'],
  ])('%s', (text, excerpt) => {
    const found = detectCampaign(text);
    expect(found.map((m) => m.excerpt)).toContain(excerpt);
    const hit = found.find((m) => m.excerpt === excerpt);
    expect(hit && text.slice(hit.range[0], hit.range[1])).toBe(excerpt);
    expect(hit?.reason).toBeTruthy();
  });

  it('finds campaigning in a resident comment with several signals, once per span', () => {
    const found = detectCampaign('Honestly the council is a joke. Re-elect Smith and vote no on the bond!!');
    expect(found).toHaveLength(2);
  });
});

describe('detectCampaign: running elections and ordinary city business are not campaigning', () => {
  it.each([
    "Polling places open 7 am to 8 pm for Tuesday's election.",
    'Register to vote at the Clerk and Recorder office by October 28.',
    'Remember to vote! Ballots must be returned by 8 pm on Election Day.',
    'Candidate filing for City Council opens June 1. Candidates for Mayor file with the City Clerk.',
    'Vote for your favorite mural design in our online poll.',
    'Vote for the candidates of your choice on November 5.',
    'The levy on the ballot would raise $1.2 million a year for parks. Voters will decide whether to approve it.',
    'If voters pass the levy, taxes on a $300,000 home would rise $45 a year.',
    'Commissioners vote no on the rezoning request.',
    'City Council members vote against the amendment to the zoning code.',
    'The council will re-elect its chair at the January meeting.',
    'Mayor Johnson was re-elected in 2022.',
    'The City Commission endorsed the downtown plan on Monday.',
    'We support the initiative to plant 500 trees and measures to slow traffic on Main Street.',
    'Donate to the library capital campaign and help build the new children\'s room.',
    'The Parks Advisory Committee (PAC) meets Thursday.',
    'Applications for City Council vacancy are due Friday.',
    'Vote early at City Hall, 201 1st Avenue East.',
    'Closed lanes on I-90 near exit 306 until Friday.',
    'Vote no later than 8 pm on Tuesday.',
    'The council voted out the old ordinance. #VoteEarly #Election2024',
    'Vote for up to three candidates for City Council; the ballot lists them in random order.',
  ])('%s', (text) => {
    expect(detectCampaign(text)).toEqual([]);
  });
});
