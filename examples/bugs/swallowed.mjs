// Bug: saveOrder fails, and the catch block only logs, so the caller believes the order was saved.
function validate(order) {
  if (!(order.qty > 0)) throw new RangeError(`bad quantity ${order.qty}`);
  return order;
}

function saveOrder(order) {
  const valid = validate(order);
  return { saved: true, id: valid.id };
}

function checkout(order) {
  try {
    return saveOrder(order);
  } catch (err) {
    console.log('could not save'); // BUG: the error is swallowed
  }
  return { saved: true };
}

console.log(checkout({ id: 1, qty: 2 }));
console.log(checkout({ id: 2, qty: 0 }));
