// What the demo's residents say. A mix a real thread has: thanks, questions, criticism of the city
// (protected speech, never a reason to hide anything), and a few that break the acceptable use
// policy (spam, profanity) so moderation has something to flag for a person to decide.
export const RESIDENT_REPLIES: readonly string[] = [
  'Thanks for posting this! Is the splash pad open on weekends too?',
  'The city council keeps ignoring the east side. Fix the potholes on Meridian before anything else.',
  'BUY CHEAP FOLLOWERS NOW at cheap-followers.example.com !!! limited offer',
  'When is the next public hearing on the budget?',
  'Honestly the mayor has done a terrible job on housing and should resign.',
  'Great work by the parks crew this week, the trail looks fantastic.',
  'This is a damn waste of taxpayer money.',
  'Can someone from Public Works call me back about the water bill? Nobody answers the phone.',
];
