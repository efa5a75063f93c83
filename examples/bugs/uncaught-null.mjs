// Bug: a refresh step clears the user's profile (profile = null), and a later render reads
// profile.name. The crash happens in render; the cause is the write in resetSession.
const users = new Map();

class User {
  constructor(id, name) {
    this.id = id;
    this.profile = { name, theme: 'dark' };
  }
}

function resetSession(user) {
  user.lastSeen = Date.now();
  user.profile = null; // BUG: should keep the profile
}

function greeting(user) {
  return `Hello, ${user.profile.name}!`;
}

function render(user) {
  const text = greeting(user);
  return text.toUpperCase();
}

const ada = new User(1, 'Ada');
users.set(ada.id, ada);
console.log(render(ada));
resetSession(ada);
console.log(render(ada));
