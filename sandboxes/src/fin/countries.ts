/**
 * ISO 3166 reference data for validation: the country codes are the shared ISO 3166-1 table
 * (`@desk/shared`, iso-countries.ts); subdivision codes are ISO 3166-2,
 * `<alpha-2>-<1 to 3 letters or digits>`, and the full list of United States subdivisions (the
 * states, DC and the outlying areas) is here, which `GET /v1/countries/USA/subdivisions`
 * serves. For other countries a subdivision code is checked for its form and its country
 * prefix only (the sandbox carries no world list).
 */
import { alpha2Of } from '@desk/shared';

export { isAlpha3 } from '@desk/shared';

const usSubdivisionNames: Record<string, string> = {
  'US-AL': 'Alabama',
  'US-AK': 'Alaska',
  'US-AZ': 'Arizona',
  'US-AR': 'Arkansas',
  'US-CA': 'California',
  'US-CO': 'Colorado',
  'US-CT': 'Connecticut',
  'US-DE': 'Delaware',
  'US-FL': 'Florida',
  'US-GA': 'Georgia',
  'US-HI': 'Hawaii',
  'US-ID': 'Idaho',
  'US-IL': 'Illinois',
  'US-IN': 'Indiana',
  'US-IA': 'Iowa',
  'US-KS': 'Kansas',
  'US-KY': 'Kentucky',
  'US-LA': 'Louisiana',
  'US-ME': 'Maine',
  'US-MD': 'Maryland',
  'US-MA': 'Massachusetts',
  'US-MI': 'Michigan',
  'US-MN': 'Minnesota',
  'US-MS': 'Mississippi',
  'US-MO': 'Missouri',
  'US-MT': 'Montana',
  'US-NE': 'Nebraska',
  'US-NV': 'Nevada',
  'US-NH': 'New Hampshire',
  'US-NJ': 'New Jersey',
  'US-NM': 'New Mexico',
  'US-NY': 'New York',
  'US-NC': 'North Carolina',
  'US-ND': 'North Dakota',
  'US-OH': 'Ohio',
  'US-OK': 'Oklahoma',
  'US-OR': 'Oregon',
  'US-PA': 'Pennsylvania',
  'US-RI': 'Rhode Island',
  'US-SC': 'South Carolina',
  'US-SD': 'South Dakota',
  'US-TN': 'Tennessee',
  'US-TX': 'Texas',
  'US-UT': 'Utah',
  'US-VT': 'Vermont',
  'US-VA': 'Virginia',
  'US-WA': 'Washington',
  'US-WV': 'West Virginia',
  'US-WI': 'Wisconsin',
  'US-WY': 'Wyoming',
  'US-DC': 'District of Columbia',
  'US-AS': 'American Samoa',
  'US-GU': 'Guam',
  'US-MP': 'Northern Mariana Islands',
  'US-PR': 'Puerto Rico',
  'US-UM': 'United States Minor Outlying Islands',
  'US-VI': 'Virgin Islands, U.S.',
};

export const usSubdivisions: readonly { code: string; name: string }[] = Object.entries(usSubdivisionNames).map(
  ([code, name]) => ({ code, name }),
);

/**
 * Why `code` is not a subdivision of the alpha-3 `country`, or null when it is. The country
 * is assumed valid (checked separately).
 */
export function subdivisionProblem(code: string, country: string): string | null {
  if (!/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(code)) {
    return 'Must be an ISO 3166-2 subdivision code such as US-CA or GB-ENG';
  }
  const alpha2 = alpha2Of(country);
  if (alpha2 !== null && !code.startsWith(`${alpha2}-`)) return `Must be a subdivision of ${country} (${alpha2}-...)`;
  if (country === 'USA' && !(code in usSubdivisionNames))
    return 'Unknown subdivision of USA; see /v1/countries/USA/subdivisions';
  return null;
}
