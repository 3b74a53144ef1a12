/** Word lists for demo applicants: names and US addresses that look real. */
export const firstNames = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Karen',
  'Daniel', 'Lisa', 'Matthew', 'Nancy', 'Anthony', 'Betty', 'Mark', 'Sandra', 'Donald', 'Ashley',
  'Steven', 'Kimberly', 'Andrew', 'Emily', 'Joshua', 'Donna', 'Kenneth', 'Michelle', 'Kevin', 'Carol',
  'Brian', 'Amanda', 'Wei', 'Melissa', 'Priya', 'Deborah', 'Omar', 'Stephanie', 'Hiroshi', 'Rebecca',
  'Diego', 'Laura', 'Aisha', 'Sharon', 'Mateo', 'Cynthia', 'Noah', 'Olivia', 'Liam', 'Sofia',
];
export const lastNames = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Chen', 'Patel', 'Kim', 'Okafor', 'Kowalski', 'Haddad', 'Tanaka', 'Silva', 'Novak', 'Byrne',
];
export const streets = [
  'Allston Way', 'Main Street', 'Oak Avenue', 'Maple Drive', 'Cedar Lane', 'Pine Street', 'Elm Street',
  'Washington Avenue', 'Lake Shore Drive', 'Sunset Boulevard', 'Park Place', 'Mission Street',
  'Broadway', 'Market Street', 'Highland Avenue', 'Ridge Road', 'Willow Court', 'Spring Street',
];
export const cities: readonly { city: string; state: string; zip: string; area: string }[] = [
  { city: 'Berkeley', state: 'CA', zip: '947', area: '510' },
  { city: 'San Francisco', state: 'CA', zip: '941', area: '415' },
  { city: 'Austin', state: 'TX', zip: '787', area: '512' },
  { city: 'Brooklyn', state: 'NY', zip: '112', area: '718' },
  { city: 'Chicago', state: 'IL', zip: '606', area: '312' },
  { city: 'Seattle', state: 'WA', zip: '981', area: '206' },
  { city: 'Denver', state: 'CO', zip: '802', area: '303' },
  { city: 'Miami', state: 'FL', zip: '331', area: '305' },
  { city: 'Boston', state: 'MA', zip: '021', area: '617' },
  { city: 'Atlanta', state: 'GA', zip: '303', area: '404' },
  { city: 'Portland', state: 'OR', zip: '972', area: '503' },
  { city: 'Phoenix', state: 'AZ', zip: '850', area: '602' },
];
export const emailDomains = ['example.com', 'mail.example.org', 'inbox.example.net'];
